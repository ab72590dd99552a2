package dev.jpyxis.domain.client;

import dev.jpyxis.domain.option.ArgumentKind;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.port.in.SubmitCommand;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The getopt_long table of Slurm 22.05's srun, sbatch or salloc: their own options, in the table's order, then the
 * plugin's when it registered them. The order matters for the "is ambiguous; possibilities:" message, which lists
 * the candidates in table order. The tables were measured on the installed clients; a test in plugin-dist keeps them
 * equal to whatever srun, sbatch and salloc the build machine has.
 */
final class ClientOptions {

    /**
     * One entry of the table. getopt_long treats two entries with the same {@code has_arg} and value as one option
     * when an abbreviation matches both; {@code sameValueAs} names the entry this one is an alias of.
     */
    record LongOption(String name, ArgumentKind argument, String sameValueAs, ContainerOption container) {

        /** Whether getopt_long cannot tell the two apart (so an abbreviation matching both is not ambiguous). */
        boolean indistinguishableFrom(LongOption other) {
            return argument == other.argument && sameValueAs.equals(other.sameValueAs);
        }
    }

    /*
     * Notation: "name" takes no argument, "name:" a required one, "name::" an optional one (--name=value only), as
     * in getopt's option strings; "name:=other" is an alias of other, with the same value.
     */
    private static final String SRUN = """
            accel-bind: account: acctg-freq: bcast:: bcast-exclude: begin: bb: bbf: cluster-constraint: chdir: cluster:
            clusters: comment: compress:: container: context: contiguous constraint: core-spec: cores-per-socket:
            cpu-bind: cpu_bind:=cpu-bind cpu-freq: cpus-per-gpu: cpus-per-task: deadline: debugger-test delay-boot:
            dependency: disable-status distribution: epilog: error: exact exclude: exclusive:: export: extra-node-info:
            gid: gpu-bind: gpu-freq: gpus: gpus-per-node: gpus-per-socket: gpus-per-task: gres: gres-flags: help
            het-group: hint: hold immediate:: input: interactive jobid: job-name: kill-on-bad-exit:: label licenses:
            mail-type: mail-user: mcs-label: mem: mem-bind: mem-per-cpu: mem-per-gpu: mincpus: mpi: msg-timeout:
            multi-prog network: nice:: no-allocate no-kill:: nodefile: nodelist: nodes: ntasks: ntasks-per-core:
            ntasks-per-gpu: ntasks-per-node: ntasks-per-socket: ntasks-per-tres: open-mode: output: overcommit
            overlap:: oversubscribe pack-group: partition: power: prefer: preserve-env priority: profile: prolog:
            propagate:: pty qos: quiet quit-on-interrupt reboot relative: reservation: resv-ports:: send-libs:: signal:
            slurmd-debug: sockets-per-node: spread-job switches: threads: task-epilog: task-prolog: tasks-per-node:
            test-only thread-spec: threads-per-core: time: time-min: tmp: uid: unbuffered use-min-nodes usage verbose
            version wait: wckey: whole x11::
            """;

    private static final String SBATCH = """
            account: acctg-freq: array: batch: begin: bb: bbf: cluster-constraint: chdir: cluster: clusters: comment:
            container: context: contiguous constraint: core-spec: cores-per-socket: cpu-freq: cpus-per-gpu:
            cpus-per-task: deadline: delay-boot: dependency: distribution: error: exclude: exclusive:: export:
            export-file: extra-node-info: get-user-env:: gid: gpu-bind: gpu-freq: gpus: gpus-per-node: gpus-per-socket:
            gpus-per-task: gres: gres-flags: help hint: hold ignore-pbs input: job-name: kill-on-invalid-dep: licenses:
            mail-type: mail-user: mcs-label: mem: mem-bind: mem-per-cpu: mem-per-gpu: mincpus: network: nice::
            no-kill:: no-requeue nodefile: nodelist: nodes: ntasks: ntasks-per-core: ntasks-per-gpu: ntasks-per-node:
            ntasks-per-socket: ntasks-per-tres: open-mode: output: overcommit oversubscribe parsable partition: power:
            prefer: priority: profile: propagate:: qos: quiet reboot requeue reservation: signal: sockets-per-node:
            spread-job switches: tasks-per-node: test-only thread-spec: threads-per-core: time: time-min: tmp: uid:
            use-min-nodes usage verbose version wait wait-all-nodes: wckey: wrap:
            """;

    private static final String SALLOC = """
            account: acctg-freq: begin: bell bb: bbf: cluster-constraint: chdir: cluster: clusters: comment: container:
            context: contiguous constraint: core-spec: cores-per-socket: cpu-freq: cpus-per-gpu: cpus-per-task:
            deadline: delay-boot: dependency: distribution: exclude: exclusive:: extra-node-info: get-user-env:: gid:
            gpu-bind: gpu-freq: gpus: gpus-per-node: gpus-per-socket: gpus-per-task: gres: gres-flags: help hint: hold
            immediate:: job-name: kill-command:: licenses: mail-type: mail-user: mcs-label: mem: mem-bind: mem-per-cpu:
            mem-per-gpu: mincpus: network: nice:: no-bell no-kill:: no-shell nodefile: nodelist: nodes: ntasks:
            ntasks-per-core: ntasks-per-gpu: ntasks-per-node: ntasks-per-socket: ntasks-per-tres: overcommit
            oversubscribe partition: power: prefer: priority: profile: qos: quiet reboot reservation: signal:
            sockets-per-node: spread-job switches: tasks-per-node: thread-spec: threads-per-core: time: time-min: tmp:
            uid: use-min-nodes usage verbose version wait-all-nodes: wckey: x11::
            """;

    /** Short options and the long option each stands for; a short option takes an argument as its long one does. */
    private static final Map<SubmitCommand, String> SHORT = Map.of(
            SubmitCommand.SRUN, "A=account b=begin B=extra-node-info c=cpus-per-task C=constraint d=dependency D=chdir"
                    + " e=error E=preserve-env F=nodefile G=gpus h=help H=hold i=input I=immediate J=job-name"
                    + " k=no-kill K=kill-on-bad-exit l=label L=licenses m=distribution M=clusters n=ntasks N=nodes"
                    + " o=output O=overcommit p=partition q=qos Q=quiet r=relative s=oversubscribe S=core-spec t=time"
                    + " T=threads u=unbuffered v=verbose V=version w=nodelist W=wait x=exclude X=disable-status"
                    + " Z=no-allocate",
            SubmitCommand.SBATCH, "a=array A=account b=begin B=extra-node-info c=cpus-per-task C=constraint"
                    + " d=dependency D=chdir e=error F=nodefile G=gpus h=help H=hold i=input J=job-name k=no-kill"
                    + " L=licenses m=distribution M=clusters n=ntasks N=nodes o=output O=overcommit p=partition q=qos"
                    + " Q=quiet s=oversubscribe S=core-spec t=time v=verbose V=version w=nodelist W=wait x=exclude",
            SubmitCommand.SALLOC, "A=account b=begin B=extra-node-info c=cpus-per-task C=constraint d=dependency"
                    + " D=chdir F=nodefile G=gpus h=help H=hold I=immediate J=job-name k=no-kill K=kill-command"
                    + " L=licenses m=distribution M=clusters n=ntasks N=nodes O=overcommit p=partition q=qos Q=quiet"
                    + " s=oversubscribe S=core-spec t=time v=verbose V=version w=nodelist x=exclude");

    private static final Map<SubmitCommand, ClientOptions> OWN = new EnumMap<>(SubmitCommand.class);
    private static final Map<SubmitCommand, ClientOptions> WITH_PLUGIN = new EnumMap<>(SubmitCommand.class);

    static {
        for (SubmitCommand client : SubmitCommand.values()) {
            String table = switch (client) {
                case SRUN -> SRUN;
                case SBATCH -> SBATCH;
                case SALLOC -> SALLOC;
            };
            List<LongOption> own = parse(table);
            List<LongOption> withPlugin = new ArrayList<>(own);
            for (ContainerOption option : ContainerOption.values()) {
                withPlugin.add(new LongOption(option.optionName(), option.argumentKind(), option.optionName(), option));
            }
            OWN.put(client, new ClientOptions(client, own));
            WITH_PLUGIN.put(client, new ClientOptions(client, withPlugin));
        }
    }

    private final SubmitCommand client;
    private final List<LongOption> longOptions;
    private final Map<Character, LongOption> shortOptions = new HashMap<>();

    private ClientOptions(SubmitCommand client, List<LongOption> longOptions) {
        this.client = client;
        this.longOptions = Collections.unmodifiableList(longOptions);
        for (String pair : SHORT.get(client).split(" ")) {
            shortOptions.put(pair.charAt(0), exactly(pair.substring(2)).orElseThrow());
        }
    }

    /** The client's table, with the plugin's options at its end when the plugin registered them there. */
    static ClientOptions of(SubmitCommand client, boolean containerOptionsRegistered) {
        return (containerOptionsRegistered ? WITH_PLUGIN : OWN).get(client);
    }

    SubmitCommand client() {
        return client;
    }

    List<LongOption> longOptions() {
        return longOptions;
    }

    Optional<LongOption> exactly(String name) {
        return longOptions.stream().filter(option -> option.name().equals(name)).findFirst();
    }

    Optional<LongOption> shortOption(char letter) {
        return Optional.ofNullable(shortOptions.get(letter));
    }

    /** Every entry whose name begins with {@code prefix}, in table order. */
    List<LongOption> beginningWith(String prefix) {
        return longOptions.stream().filter(option -> option.name().startsWith(prefix)).toList();
    }

    private static List<LongOption> parse(String table) {
        List<LongOption> options = new ArrayList<>();
        for (String token : table.strip().split("\\s+")) {
            int alias = token.indexOf('=');
            String spec = alias < 0 ? token : token.substring(0, alias);
            ArgumentKind argument = spec.endsWith("::") ? ArgumentKind.OPTIONAL
                    : spec.endsWith(":") ? ArgumentKind.REQUIRED : ArgumentKind.NONE;
            String name = spec.replace(":", "");
            options.add(new LongOption(name, argument, alias < 0 ? name : token.substring(alias + 1), null));
        }
        return options;
    }
}
