package dev.jpyxis.adapters.enroot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.port.out.FstabEntry;
import dev.jpyxis.domain.option.Namespace;
import dev.jpyxis.domain.option.TriState;
import dev.jpyxis.domain.port.out.ContainerLaunch;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.ContainerListing;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.StartConfiguration;
import dev.jpyxis.exec.CommandRunner;
import dev.jpyxis.exec.ProcessMark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrootRuntimeTest {

    @TempDir
    Path dir;

    private static StartConfiguration start(List<FstabEntry> mounts, boolean entrypoint, List<String> names,
            TriState home, TriState remap, TriState writable, Set<Namespace> unshare, Environment env) {
        return new StartConfiguration("pyxis_1.0", false, mounts, entrypoint, names, home, remap, writable, unshare, env,
                StartConfiguration.STOP_THEN_EXIT);
    }

    @Test
    void listingOfNamesAndRunningPids() {
        List<ContainerListing> listings = EnrootRuntime.parseList(List.of(
                "NAME        PID    COMM  STATE  STARTED  TIME   MNTNS       USERNS      COMMAND",
                "pyxis_dev   4242   sh    T      10:00    00:01  4026532179  4026532178  sh -c kill -STOP $$",
                "            4300   bash  S      10:01    00:00  4026532179  4026532178  bash",
                "pyxis_12.3",
                ""));
        assertEquals(List.of(ContainerListing.running("pyxis_dev", 4242), ContainerListing.stopped("pyxis_12.3")),
                listings);
    }

    @Test
    void aListingWithoutHeaderIsUnusable() {
        PyxisException failure = assertThrows(PyxisException.class, () -> EnrootRuntime.parseList(List.of()));
        assertEquals("pyxis: \"enroot list -f\" did not produce any usable output", failure.lines().get(0));
        assertThrows(PyxisException.class, () -> EnrootRuntime.parseList(List.of("NAME PID", "x notapid")));
        assertThrows(PyxisException.class, () -> EnrootRuntime.parseList(List.of("enroot: warning: x", "oops")));
    }

    @Test
    void warningsBeforeTheHeaderAreSkipped() {
        assertEquals(List.of(ContainerListing.stopped("pyxis_12_dev")), EnrootRuntime.parseList(List.of(
                "/etc/enroot/enroot.conf: line 3: warning: unknown key", "NAME PID", "pyxis_12_dev")));
    }

    @Test
    void pidsTheKernelCannotGiveAreRefused() {
        for (String pid : List.of("0", "1", "-5", "4194305", "99999999999")) {
            assertThrows(PyxisException.class, () -> EnrootRuntime.parseList(List.of("NAME PID", "x " + pid)), pid);
        }
        assertEquals(List.of(ContainerListing.running("x", 4194304)),
                EnrootRuntime.parseList(List.of("NAME PID", "x 4194304")));
    }

    @Test
    void togglesOnlyForOptionsTheUserGave() {
        Environment base = Environment.of("HOME", "/home/u");
        Environment none = EnrootRuntime.startEnvironment(start(List.of(), false, List.of(), TriState.UNSET,
                TriState.UNSET, TriState.UNSET, Set.of(), base));
        assertEquals(base, none);
        Environment all = EnrootRuntime.startEnvironment(start(List.of(), false, List.of(), TriState.TRUE,
                TriState.FALSE, TriState.TRUE, Set.of(Namespace.NET, Namespace.IPC, Namespace.UTS), base));
        assertEquals(Optional.of("y"), all.get("ENROOT_MOUNT_HOME"));
        assertEquals(Optional.of("n"), all.get("ENROOT_REMAP_ROOT"));
        assertEquals(Optional.of("y"), all.get("ENROOT_ROOTFS_WRITABLE"));
        assertEquals(Optional.of("y"), all.get("ENROOT_UNSHARE_NET"));
        assertEquals(Optional.of("y"), all.get("ENROOT_UNSHARE_IPC"));
        assertEquals(Optional.of("y"), all.get("ENROOT_UNSHARE_UTS"));
    }

    @Test
    void theConfigurationScriptHasOnlyWhatIsNeeded() {
        String none = EnrootConfigScript.render(start(List.of(), true, List.of(), TriState.UNSET, TriState.UNSET,
                TriState.UNSET, Set.of(), Environment.empty()));
        assertEquals("", none);
        String hooks = EnrootConfigScript.render(start(List.of(), false, List.of(), TriState.UNSET, TriState.UNSET,
                TriState.UNSET, Set.of(), Environment.empty()));
        assertTrue(hooks.startsWith("hooks() {"));
        assertFalse(hooks.contains("mounts()"));
    }

    /** pyxis's fprintf formats (upstream pyxis_slurmstepd.c:1030, :1051, :1066), written out for one start. */
    @Test
    void theScriptIsPyxisOwnTextByteForByte() {
        List<FstabEntry> mounts = List.of(new FstabEntry("/data/my dir", "/scratch/$USER", "x-create=auto,rbind,ro"),
                new FstabEntry("tmpfs", "/tmp", "x-create=dir"));
        String script = EnrootConfigScript.render(start(mounts, false, List.of("GOOD", "EMPTY"), TriState.UNSET,
                TriState.UNSET, TriState.UNSET, Set.of(), Environment.empty()));
        assertEquals("mounts() {\n"
                + "\techo \"/data/my\\040dir /scratch/$USER x-create=auto,rbind,ro\"\n"
                + "\techo \"tmpfs /tmp x-create=dir\"\n"
                + "}\n"
                + "hooks() {\n"
                + "\techo 'exec \"$@\"' > ${ENROOT_ROOTFS}/etc/rc.local\n"
                + "}\n"
                + "environ() {\n"
                + "\t[ -n \"${GOOD-}\" ] && echo \"GOOD=${GOOD}\" || :\n"
                + "\t[ -n \"${EMPTY-}\" ] && echo \"EMPTY=${EMPTY}\" || :\n"
                + "}\n", script);
    }

    /** Runs the generated functions in bash, as enroot does: a $VAR in a mount path is expanded, as under pyxis. */
    @Test
    void enrootsBashExpandsVariablesAsUnderPyxis() throws Exception {
        List<FstabEntry> mounts = List.of(new FstabEntry("/data/my dir", "/scratch/$USER/${SLURM_JOB_ID}",
                "x-create=auto,rbind,ro"), new FstabEntry("./rel'q", "/t", "x-create=auto,rbind"));
        String script = EnrootConfigScript.render(start(mounts, false, List.of("GOOD", "EMPTY", "UNSET"),
                TriState.UNSET, TriState.UNSET, TriState.UNSET, Set.of(), Environment.empty()));
        Path conf = Files.writeString(dir.resolve("conf"), script);
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc"));
        CommandRunner.Result result = new CommandRunner().runOrFail(List.of("/bin/bash", "-c",
                ". \"$1\"; mounts; echo ---; environ; echo ---; hooks; cat \"$ENROOT_ROOTFS/etc/rc.local\"", "bash",
                conf.toString()), Environment.of("PATH", "/usr/bin:/bin", "GOOD", "a b\"$c", "EMPTY", "",
                "USER", "alice", "SLURM_JOB_ID", "12", "ENROOT_ROOTFS", rootfs.getParent().toString()), dir);
        assertEquals(List.of("/data/my\\040dir /scratch/alice/12 x-create=auto,rbind,ro",
                "./rel'q /t x-create=auto,rbind", "---", "GOOD=a b\"$c", "---", "exec \"$@\""), result.output());
    }

    @Test
    void locatesEnrootInTheDaemonPath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path enroot = Files.writeString(bin.resolve("enroot"), "#!/bin/sh\n");
        enroot.toFile().setExecutable(true);
        assertEquals(enroot.toString(), EnrootRuntime.locate("relative:" + dir.resolve("none") + ":" + bin));
        assertEquals("/usr/bin/enroot", EnrootRuntime.locate(dir.resolve("none").toString()));
    }

    /** An enroot stand-in that answers {@code list} with names only and refuses {@code list -f}. */
    private EnrootRuntime fakeEnroot() throws Exception {
        Path enroot = Files.writeString(dir.resolve("enroot"), """
                #!/bin/sh
                if [ "$*" = "list" ]; then printf 'pyxis_12_dev\\npyxis_12_12.3\\n'; exit 0; fi
                if [ "$1" = "list" ]; then echo "enroot list $*: needs lsns, ps and column" >&2; exit 1; fi
                exit 0
                """);
        enroot.toFile().setExecutable(true);
        return new EnrootRuntime(enroot.toString(), new CommandRunner(), dir);
    }

    /** An enroot whose {@code list} notes each run in {@code runs} and fails when the environment says FAIL=1. */
    private EnrootRuntime countingEnroot() throws Exception {
        Path enroot = Files.writeString(dir.resolve("enroot"), """
                #!/bin/sh
                echo "$*" >> "%s"
                if [ "${FAIL:-}" = 1 ]; then echo "cannot list" >&2; exit 1; fi
                printf 'pyxis_dev\\n'
                """.formatted(dir.resolve("runs")));
        enroot.toFile().setExecutable(true);
        return new EnrootRuntime(enroot.toString(), new CommandRunner(), dir);
    }

    private long runs() throws Exception {
        Path runs = dir.resolve("runs");
        return Files.exists(runs) ? Files.readAllLines(runs).size() : 0;
    }

    private void awaitRuns(long expected) throws Exception {
        for (int i = 0; i < 500 && runs() < expected; i++) {
            Thread.sleep(10);
        }
        assertEquals(expected, runs());
    }

    @Test
    void aListingBegunSoonerIsTakenOnceByTheSameInvocationWithItsLogLine() throws Exception {
        EnrootRuntime runtime = countingEnroot();
        Environment env = Environment.of("PATH", "/usr/bin:/bin");
        runtime.listSoon(new RuntimeInvocation(env, dir.toString()));
        List<Diagnostic> lines = new ArrayList<>();
        assertEquals(List.of("pyxis_dev"), runtime.names(new RuntimeInvocation(env, dir.toString()).reportingTo(lines)));
        assertEquals(1, runs(), "the early listing was used, not a second one");
        assertEquals(List.of(Diagnostic.verbose("pyxis: running enroot command: \"enroot list\"")), lines);
        runtime.names(new RuntimeInvocation(env, dir.toString()));
        assertEquals(2, runs(), "taken once: the next listing runs anew");
    }

    @Test
    void anotherInvocationListsAnew() throws Exception {
        EnrootRuntime runtime = countingEnroot();
        runtime.listSoon(new RuntimeInvocation(Environment.of("PATH", "/usr/bin:/bin"), dir.toString()));
        runtime.names(new RuntimeInvocation(Environment.of("PATH", "/usr/bin:/bin", "ENROOT_DATA_PATH", "/d"),
                dir.toString()));
        awaitRuns(2);
        runtime.names(new RuntimeInvocation(Environment.of("PATH", "/usr/bin:/bin"), "/"));
        awaitRuns(3);
    }

    @Test
    void anEarlyListingsFailureIsTheListingsFailure() throws Exception {
        EnrootRuntime runtime = countingEnroot();
        Environment failing = Environment.of("PATH", "/usr/bin:/bin", "FAIL", "1");
        runtime.listSoon(new RuntimeInvocation(failing, dir.toString()));
        List<Diagnostic> lines = new ArrayList<>();
        CommandFailedException failure = assertThrows(CommandFailedException.class,
                () -> runtime.names(new RuntimeInvocation(failing, dir.toString()).reportingTo(lines)));
        assertTrue(failure.log().contains("cannot list"), failure.log().toString());
        assertEquals(1, runs());
        assertEquals(List.of(Diagnostic.verbose("pyxis: running enroot command: \"enroot list\"")), lines);
    }

    @Test
    void theNamesComeFromThePlainList() throws Exception {
        assertEquals(List.of("pyxis_12_dev", "pyxis_12_12.3"), fakeEnroot().names(new RuntimeInvocation(
                Environment.of("PATH", "/usr/bin:/bin"), dir.toString())));
    }

    @Test
    void everyCommandIsLoggedAsPyxisLogsIt() throws Exception {
        List<Diagnostic> lines = new ArrayList<>();
        RuntimeInvocation invocation = new RuntimeInvocation(Environment.of("PATH", "/usr/bin:/bin"),
                dir.toString()).reportingTo(lines);
        EnrootRuntime runtime = fakeEnroot();
        runtime.create(invocation, "pyxis_12.3", "/run/pyxis/1000/12.3.squashfs");
        runtime.names(invocation);
        runtime.remove(invocation, "pyxis_12.3");
        assertEquals(List.of(
                Diagnostic.verbose("pyxis: running enroot command: \"enroot create --name pyxis_12.3 "
                        + "/run/pyxis/1000/12.3.squashfs\""),
                Diagnostic.verbose("pyxis: running enroot command: \"enroot list\""),
                Diagnostic.verbose("pyxis: running enroot command: \"enroot remove -f pyxis_12.3\"")), lines);
    }

    @Test
    void theStartLogsItsScriptThenItsCommand() throws Exception {
        List<Diagnostic> lines = new ArrayList<>();
        RuntimeInvocation invocation = new RuntimeInvocation(Environment.of("PATH", "/usr/bin:/bin"),
                dir.toString()).reportingTo(lines);
        EnrootRuntime runtime = fakeEnroot();
        ContainerLaunch launch = runtime.prepareStart(invocation, start(List.of(), false, List.of(), TriState.UNSET,
                TriState.UNSET, TriState.UNSET, Set.of(), Environment.empty()));
        String script = launch.argv().get(3);
        List<Diagnostic> expected = new ArrayList<>();
        expected.add(Diagnostic.verbose("pyxis: enroot start configuration script:"));
        Files.readAllLines(Path.of(script)).forEach(line -> expected.add(Diagnostic.verbose("pyxis:     " + line)));
        expected.add(Diagnostic.verbose("pyxis: running enroot command: \"enroot start --conf " + script
                + " pyxis_1.0 sh -c kill -STOP $$ ; exit 0\""));
        assertEquals(expected, lines);
        assertTrue(lines.size() > 3, "the script's lines are all there");
        runtime.finishStart(launch);
    }

    @Test
    @DisplayName("a start configuration names its engine; one left by an engine that is gone (killed before the"
            + " start's end) is removed by the user's next start, one of a live engine or of no engine named stays")
    void startConfigurationsOfGoneEnginesAreRemovedByTheNextStart() throws Exception {
        ProcessMark self = ProcessMark.self().orElseThrow();
        Path gone = Files.writeString(dir.resolve(".enroot_config_4194305-" + self.startTime() + "-1"), "x");
        Path reused = Files.writeString(dir.resolve(".enroot_config_" + self.pid() + "-" + (self.startTime() + 1)
                + "-2"), "x");
        Path live = Files.writeString(dir.resolve(".enroot_config_" + self.prefix() + "3"), "x");
        Path unnamed = Files.writeString(dir.resolve(".enroot_config_4"), "x");
        EnrootRuntime runtime = fakeEnroot();
        ContainerLaunch launch = runtime.prepareStart(new RuntimeInvocation(Environment.of("PATH", "/usr/bin:/bin"),
                dir.toString()), start(List.of(), false, List.of(), TriState.UNSET, TriState.UNSET, TriState.UNSET,
                Set.of(), Environment.empty()));
        assertFalse(Files.exists(gone));
        assertFalse(Files.exists(reused), "a later process with the engine's pid is another process");
        assertTrue(Files.exists(live));
        assertTrue(Files.exists(unnamed));
        Path own = Path.of(launch.argv().get(3));
        assertTrue(own.getFileName().toString().startsWith(".enroot_config_" + self.prefix()), own.toString());
        assertTrue(runtime.finishStart(launch));
        assertFalse(Files.exists(own));
    }
}
