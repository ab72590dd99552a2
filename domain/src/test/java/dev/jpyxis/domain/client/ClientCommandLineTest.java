package dev.jpyxis.domain.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.client.ClientCommandLine.Given;
import dev.jpyxis.domain.option.ArgumentKind;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.port.in.SubmitCommand;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("srun, sbatch and salloc command lines, as their getopt_long reads them")
class ClientCommandLineTest {

    private static ClientCommandLine srun(String... args) {
        return ClientCommandLine.read(SubmitCommand.SRUN, Arrays.asList(args), true);
    }

    private static List<String> refusal(SubmitCommand client, boolean registered, String... args) {
        return assertThrows(RefusedCommandLineException.class,
                () -> ClientCommandLine.read(client, Arrays.asList(args), registered)).lines();
    }

    private static List<String> srunRefusal(String... args) {
        return refusal(SubmitCommand.SRUN, true, args);
    }

    private static List<String> tryHelp(String client, String line) {
        return List.of(client + ": " + line, "Try \"" + client + " --help\" for more information");
    }

    @Nested
    @DisplayName("reading")
    class Reading {

        @Test
        @DisplayName("--opt=value and --opt value give the same option")
        void equalsAndSpaceForms() {
            ClientCommandLine line = srun("--container-image=ubuntu", "--container-workdir", "/w", "--mpi", "pmix",
                    "--nodes=2", "true");
            assertEquals(List.of(OptionUse.of(ContainerOption.IMAGE, "ubuntu"),
                    OptionUse.of(ContainerOption.WORKDIR, "/w")), line.containerOptions());
            assertEquals(List.of(new Given("mpi", "pmix"), new Given("nodes", "2")), line.options());
            assertEquals(List.of("true"), line.operands());
        }

        @Test
        @DisplayName("an option srun's help does not show, such as --priority, takes its argument and reading goes on")
        void optionsOutsideTheHelpTakeTheirArgument() {
            ClientCommandLine line = srun("--priority", "5", "--container-image=x", "hostname");
            assertEquals(List.of(new Given("priority", "5")), line.options());
            assertEquals(List.of(OptionUse.of(ContainerOption.IMAGE, "x")), line.containerOptions());
            assertEquals(List.of("hostname"), line.operands());
        }

        @Test
        @DisplayName("clusters of short options, with the argument attached or following")
        void shortOptionClusters() {
            ClientCommandLine line = srun("-ln4", "-N", "2", "-Jname", "-vv", "-w", "node1", "true");
            assertEquals(List.of(new Given("label", null), new Given("ntasks", "4"), new Given("nodes", "2"),
                    new Given("job-name", "name"), new Given("verbose", null), new Given("verbose", null),
                    new Given("nodelist", "node1")), line.options());
        }

        @Test
        @DisplayName("an optional argument is taken only when attached")
        void optionalArguments() {
            ClientCommandLine line = srun("--exclusive", "user", "-I5", "-K", "--exclusive=mcs");
            assertEquals(List.of(new Given("exclusive", null)), line.options().subList(0, 1));
            assertEquals(List.of("user", "-I5", "-K", "--exclusive=mcs"), line.operands());
            ClientCommandLine attached = srun("-I5", "-K", "--exclusive=mcs", "true");
            assertEquals(List.of(new Given("immediate", "5"), new Given("kill-on-bad-exit", null),
                    new Given("exclusive", "mcs")), attached.options());
        }

        @Test
        @DisplayName("reading stops at the first operand, at -- and at a lone -")
        void readingStops() {
            assertEquals(List.of("python", "--container-name=b"), srun("--container-name=a", "python",
                    "--container-name=b").operands());
            assertEquals(List.of("--container-name=b"), srun("--", "--container-name=b").operands());
            assertEquals(List.of("-", "x"), srun("-", "x").operands());
            assertEquals(List.of(), srun().operands());
        }

        @Test
        @DisplayName("the last use of an option wins")
        void lastUse() {
            ClientCommandLine line = srun("-n", "2", "--ntasks=3", "true");
            assertEquals(Optional.of(new Given("ntasks", "3")), line.last("ntasks"));
            assertEquals(Optional.empty(), line.last("nodes"));
        }

        @Test
        @DisplayName("an empty value is a value")
        void emptyValue() {
            assertEquals(List.of(OptionUse.of(ContainerOption.IMAGE, "")), srun("--container-image=")
                    .containerOptions());
        }
    }

    @Nested
    @DisplayName("abbreviations")
    class Abbreviations {

        @ParameterizedTest(name = "{0} is {1}")
        @CsvSource({
            "--container-im=x, container-image",
            "--container-mount-h, container-mount-home",
            "--no-container-en, no-container-entrypoint",
            "--container-entrypoint, container-entrypoint"})
        @DisplayName("a unique prefix of a container option is that option")
        void uniquePrefix(String given, String option) {
            assertEquals(ContainerOption.byName(option).orElseThrow(),
                    srun(given, "true").containerOptions().get(0).option());
        }

        @Test
        @DisplayName("srun's own --container is exact; --contain abbreviates it only where the plugin is absent")
        void srunsOwnContainerOption() {
            assertEquals(List.of(new Given("container", "/bundle")), srun("--container=/bundle", "true").options());
            assertEquals(List.of(new Given("container", "/b2")), ClientCommandLine.read(SubmitCommand.SRUN,
                    List.of("--contain=/b2", "true"), false).options());
            assertEquals("srun: option '--contain=/b2' is ambiguous; possibilities: '--container' '--container-image'"
                    + " '--container-mounts' '--container-workdir' '--container-name' '--container-save'"
                    + " '--container-mount-home' '--container-remap-root' '--container-entrypoint'"
                    + " '--container-entrypoint-log' '--container-writable' '--container-readonly' '--container-env'"
                    + " '--container-unshare'", srunRefusal("--contain=/b2", "true").get(0));
        }

        @Test
        @DisplayName("an ambiguous prefix is refused with every candidate, in srun's table order")
        void ambiguous() {
            assertEquals(tryHelp("srun", "option '--container-w=x' is ambiguous; possibilities:"
                    + " '--container-workdir' '--container-writable'"), srunRefusal("--container-w=x"));
            assertEquals(tryHelp("srun", "option '--co' is ambiguous; possibilities: '--comment' '--compress'"
                    + " '--container' '--context' '--contiguous' '--constraint' '--core-spec' '--cores-per-socket'"
                    + " '--container-image' '--container-mounts' '--container-workdir' '--container-name'"
                    + " '--container-save' '--container-mount-home' '--container-remap-root'"
                    + " '--container-entrypoint' '--container-entrypoint-log' '--container-writable'"
                    + " '--container-readonly' '--container-env' '--container-unshare'"), srunRefusal("--co"));
        }

        @Test
        @DisplayName("an alias getopt cannot tell from the first candidate is not listed, nor ambiguous")
        void aliases() {
            assertEquals(tryHelp("srun", "option '--cpu' is ambiguous; possibilities: '--cpu-bind' '--cpu-freq'"
                    + " '--cpus-per-gpu' '--cpus-per-task'"), srunRefusal("--cpu", "x"));
            assertEquals(List.of(new Given("cpu_bind", "v")), srun("--cpu_=v", "true").options());
        }
    }

    @Nested
    @DisplayName("refusals, with the client's text")
    class Refusals {

        @Test
        @DisplayName("a misspelled option, with its value")
        void unrecognized() {
            assertEquals(tryHelp("srun", "unrecognized option '--container-iamge=ubuntu'"),
                    srunRefusal("--container-iamge=ubuntu", "true"));
            assertEquals(tryHelp("salloc", "unrecognized option '--mpi'"),
                    refusal(SubmitCommand.SALLOC, true, "--mpi", "pmix"));
        }

        @Test
        @DisplayName("container options where the plugin did not register them (sbatch_support=0)")
        void notRegistered() {
            assertEquals(tryHelp("sbatch", "unrecognized option '--container-image=x'"),
                    refusal(SubmitCommand.SBATCH, false, "--container-image=x", "job.sh"));
            ClientCommandLine sbatch = ClientCommandLine.read(SubmitCommand.SBATCH, List.of("--container-image=x"),
                    true);
            assertEquals(1, sbatch.containerOptions().size());
        }

        @Test
        @DisplayName("an argument to an option that takes none")
        void argumentToAFlag() {
            assertEquals(tryHelp("srun", "option '--container-writable' doesn't allow an argument"),
                    srunRefusal("--container-writable=yes"));
            assertEquals(tryHelp("srun", "option '--exact' doesn't allow an argument"), srunRefusal("--exa=5"));
        }

        @Test
        @DisplayName("a missing argument")
        void missingArgument() {
            assertEquals(tryHelp("srun", "option '--container-save' requires an argument"),
                    srunRefusal("--container-save"));
            assertEquals(tryHelp("srun", "option '--mpi' requires an argument"), srunRefusal("--mp"));
            assertEquals(tryHelp("srun", "option requires an argument -- 'n'"), srunRefusal("-ln"));
        }

        @Test
        @DisplayName("an unknown short option, even inside a cluster")
        void unknownShortOption() {
            assertEquals(tryHelp("srun", "invalid option -- 'Y'"), srunRefusal("-lY"));
            assertEquals(tryHelp("sbatch", "invalid option -- 'l'"), refusal(SubmitCommand.SBATCH, true, "-l"));
        }
    }

    @Test
    @DisplayName("each client has its own table: sbatch's --wait takes no argument, srun's one")
    void tablesDiffer() {
        ClientCommandLine sbatch = ClientCommandLine.read(SubmitCommand.SBATCH, List.of("--wait", "job.sh"), true);
        assertEquals(List.of("job.sh"), sbatch.operands());
        assertEquals(List.of(), srun("--wait", "5").operands());
        assertTrue(ClientOptions.of(SubmitCommand.SALLOC, false).exactly("no-shell").isPresent());
        assertEquals(ArgumentKind.NONE, ClientCommandLine.ownOptions(SubmitCommand.SBATCH).get("wait"));
        assertEquals(ArgumentKind.REQUIRED, ClientCommandLine.ownOptions(SubmitCommand.SRUN).get("wait"));
        assertEquals("accel-bind", ClientCommandLine.ownOptions(SubmitCommand.SRUN).keySet().iterator().next());
    }
}
