package dev.jpyxis.adapters.enroot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.port.out.FstabEntry;
import dev.jpyxis.domain.option.Namespace;
import dev.jpyxis.domain.option.TriState;
import dev.jpyxis.domain.port.out.ContainerListing;
import dev.jpyxis.domain.port.out.StartConfiguration;
import dev.jpyxis.exec.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

    /** Runs the generated functions in bash: the fstab and environment lines must come out exactly. */
    @Test
    void theScriptPrintsExactLinesWhateverTheUserTyped() throws Exception {
        List<FstabEntry> mounts = List.of(new FstabEntry("/data/my dir", "/in$(id)side", "x-create=auto,rbind,ro"),
                new FstabEntry("./rel'q", "/t`x`", "x-create=auto,rbind"));
        String script = EnrootConfigScript.render(start(mounts, false, List.of("GOOD", "EMPTY", "UNSET", "WEIRD$(id)"),
                TriState.UNSET, TriState.UNSET, TriState.UNSET, Set.of(), Environment.empty()));
        Path conf = Files.writeString(dir.resolve("conf"), script);
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/etc"));
        CommandRunner.Result result = new CommandRunner().runOrFail(List.of("/bin/bash", "-c",
                ". \"$1\"; mounts; echo ---; environ; echo ---; hooks; cat \"$ENROOT_ROOTFS/etc/rc.local\"", "bash",
                conf.toString()), Environment.of("PATH", "/usr/bin:/bin", "GOOD", "a b\"$c", "EMPTY", "",
                "ENROOT_ROOTFS", rootfs.getParent().toString()), dir);
        assertEquals(List.of("/data/my\\040dir /in$(id)side x-create=auto,rbind,ro",
                "./rel'q /t`x` x-create=auto,rbind", "---", "GOOD=a b\"$c", "---", "exec \"$@\""), result.output());
    }

    @Test
    void locatesEnrootInTheDaemonPath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path enroot = Files.writeString(bin.resolve("enroot"), "#!/bin/sh\n");
        enroot.toFile().setExecutable(true);
        assertEquals(enroot.toString(), EnrootRuntime.locate("relative:" + dir.resolve("none") + ":" + bin));
        assertEquals("/usr/bin/enroot", EnrootRuntime.locate(dir.resolve("none").toString()));
    }
}
