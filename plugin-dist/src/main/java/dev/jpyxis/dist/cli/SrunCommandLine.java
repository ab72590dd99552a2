package dev.jpyxis.dist.cli;

import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a command line the way srun's option parser does and keeps the container options: {@code --opt=value},
 * {@code --opt value}, unambiguous abbreviations ({@code --container-im=...}), any order, mixed with srun's own
 * options. Parsing stops, as in srun, at the first argument that is not an option (the user's command) or
 * at {@code --}.
 */
final class SrunCommandLine {

    /** srun's short options that take an argument (srun 22.05). */
    private static final String SHORT_WITH_ARGUMENT = "AbBcCdDeGiJLmMnNopqrStTwWx";

    /** srun's long options that take a required argument, so that {@code --mpi pmix} skips {@code pmix}. */
    private static final Set<String> LONG_WITH_ARGUMENT = Set.of(
            "account", "acctg-freq", "bb", "bbf", "begin", "chdir", "cluster-constraint", "clusters", "comment",
            "constraint", "container", "core-spec", "cores-per-socket", "cpu-bind", "cpu-freq", "cpus-per-gpu",
            "cpus-per-task", "deadline", "delay-boot", "dependency", "distribution", "epilog", "error", "exclude",
            "export", "extra-node-info", "gid", "gpu-bind", "gpu-freq", "gpus", "gpus-per-node", "gpus-per-socket",
            "gpus-per-task", "gres", "gres-flags", "het-group", "hint", "input", "job-name", "jobid", "licenses",
            "mail-type", "mail-user", "mcs-label", "mem", "mem-bind", "mem-per-cpu", "mem-per-gpu", "mincpus", "mpi",
            "network", "nodefile", "nodelist", "nodes", "ntasks", "ntasks-per-core", "ntasks-per-gpu",
            "ntasks-per-node", "ntasks-per-socket", "open-mode", "output", "partition", "power", "prolog",
            "profile", "qos", "reservation", "signal", "slurmd-debug", "sockets-per-node", "switches",
            "task-epilog", "task-prolog", "thread-spec", "threads-per-core", "time", "time-min", "tmp", "uid",
            "wait", "wckey", "relative", "tres-per-task", "tres-bind", "x11");

    private SrunCommandLine() {
    }

    /**
     * @throws CommandLineException for what srun itself would refuse: an ambiguous abbreviation, an argument
     *                              given to a container option that takes none
     */
    static List<OptionUse> containerOptions(List<String> args) {
        List<OptionUse> uses = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--") || !arg.startsWith("-") || arg.equals("-")) {
                break;
            }
            if (!arg.startsWith("--")) {
                i += shortOptionArgumentsAfter(arg);
                continue;
            }
            int equals = arg.indexOf('=');
            String name = equals < 0 ? arg.substring(2) : arg.substring(2, equals);
            ContainerOption option = containerOption(name);
            if (option == null) {
                if (equals < 0 && LONG_WITH_ARGUMENT.contains(name)) {
                    i++;
                }
                continue;
            }
            if (!option.takesArgument()) {
                if (equals >= 0) {
                    throw new CommandLineException(
                            "option '" + option.flag() + "' doesn't allow an argument");
                }
                uses.add(OptionUse.of(option));
            } else if (equals >= 0) {
                uses.add(OptionUse.of(option, arg.substring(equals + 1)));
            } else if (i + 1 < args.size()) {
                uses.add(OptionUse.of(option, args.get(++i)));
            } else {
                uses.add(OptionUse.of(option, null));
            }
        }
        return uses;
    }

    /** How many following arguments a cluster of short options such as {@code -ln4} or {@code -n} consumes. */
    private static int shortOptionArgumentsAfter(String cluster) {
        for (int c = 1; c < cluster.length(); c++) {
            if (SHORT_WITH_ARGUMENT.indexOf(cluster.charAt(c)) >= 0) {
                return c == cluster.length() - 1 ? 1 : 0;
            }
        }
        return 0;
    }

    /** The container option {@code name} denotes, exactly or as a unique prefix; {@code null} if none. */
    private static ContainerOption containerOption(String name) {
        List<ContainerOption> candidates = ContainerOption.matching(name);
        if (candidates.size() > 1) {
            throw new CommandLineException("option '--" + name + "' is ambiguous; possibilities: "
                    + candidates.stream().map(o -> "'" + o.flag() + "'").collect(Collectors.joining(" ")));
        }
        return candidates.isEmpty() ? null : candidates.get(0);
    }
}
