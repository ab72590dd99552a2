package dev.jpyxis.adapters.charliecloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.port.out.ContainerListing;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.exec.CommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("A user's Charliecloud directories are the user's own")
class OwnStorageTest {

    @TempDir
    Path varTmp;

    private long me;
    private Path storage;
    private Path containers;
    private RuntimeInvocation invocation;

    /** Tools that do not exist: a test that reaches one fails with the runner's error, not with a refusal. */
    private static final CharliecloudTools NO_TOOLS = new CharliecloudTools("/nonexistent/ch-run",
            "/nonexistent/ch-image", "/nonexistent/ch-convert", "/nonexistent/unsquashfs", "/nonexistent/squashfuse",
            "/nonexistent/fusermount");

    @BeforeEach
    void paths() {
        me = OwnDirectory.currentUid();
        storage = varTmp.resolve("alice.ch");
        containers = varTmp.resolve("alice.jpyxis");
        invocation = new RuntimeInvocation(Environment.of("PATH", "/usr/bin:/bin"), varTmp.toString());
    }

    private CharliecloudRuntime runtimeOf(long uid) {
        return new CharliecloudRuntime(NO_TOOLS, new CommandRunner(), storage, containers, new RunningContainers(),
                uid);
    }

    @Test
    @DisplayName("a missing containers directory lists nothing and is made 0700 when a container is made")
    void madePrivate() throws Exception {
        CharliecloudRuntime runtime = runtimeOf(me);
        assertEquals(List.of(), runtime.list(invocation));
        assertFalse(Files.exists(containers), "listing creates nothing");
        assertThrows(RuntimeException.class, () -> runtime.create(invocation, "pyxis_x", "/nonexistent.sqsh"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(containers)));
    }

    @Nested
    @DisplayName("another user who made the name first")
    class Squatted {

        @BeforeEach
        void plant() throws Exception {
            // the directory is this process's; the runtime is told it belongs to someone else: the same as a squat
            Files.createDirectories(containers.resolve("pyxis_x"));
            Files.createDirectories(storage);
        }

        @Test
        @DisplayName("has the containers directory refused, naming it, its owner and the fix")
        void containersRefused() {
            CharliecloudRuntime runtime = runtimeOf(me + 1);
            PyxisException refused = assertThrows(PyxisException.class, () -> runtime.list(invocation));
            assertEquals("pyxis: refusing to use " + containers + ": owned by uid " + me + ", not by uid " + (me + 1)
                    + "; ask an admin to remove it: another user may have planted it", refused.getMessage());
            assertThrows(PyxisException.class, () -> runtime.remove(invocation, "pyxis_x"));
            assertThrows(PyxisException.class, () -> runtime.export(invocation, "pyxis_x", "out.sqsh"));
            assertTrue(Files.isDirectory(containers.resolve("pyxis_x")), "nothing of the squatter's is touched");
        }

        @Test
        @DisplayName("has the image storage refused before ch-image runs")
        void storageRefused() {
            PyxisException refused = assertThrows(PyxisException.class,
                    () -> runtimeOf(me + 1).importImage(invocation, "docker://busybox", "out.sqsh"));
            assertTrue(refused.getMessage().startsWith("pyxis: refusing to use " + storage + ": owned by uid "),
                    refused.getMessage());
        }
    }

    @Test
    @DisplayName("a planted symbolic link is refused and never followed")
    void linkRefused() throws Exception {
        Path elsewhere = Files.createDirectories(varTmp.resolve("planted/pyxis_x"));
        Files.createSymbolicLink(containers, elsewhere.getParent());
        CharliecloudRuntime runtime = runtimeOf(me);
        PyxisException refused = assertThrows(PyxisException.class, () -> runtime.list(invocation));
        assertEquals("pyxis: refusing to use " + containers + ": a symbolic link; remove it (ask an admin when it is"
                + " not yours)", refused.getMessage());
        assertThrows(PyxisException.class, () -> runtime.create(invocation, "pyxis_y", "/nonexistent.sqsh"));
        assertFalse(Files.exists(elsewhere.resolveSibling("pyxis_y")));
        Files.createSymbolicLink(storage, elsewhere.getParent());
        assertThrows(PyxisException.class, () -> runtime.importImage(invocation, "docker://busybox", "out.sqsh"));
        try (var pulls = Files.list(elsewhere.getParent())) {
            assertEquals(List.of(elsewhere), pulls.toList(), "no pull directory made through the link");
        }
    }

    @Test
    @DisplayName("a directory others may write to is refused with the chmod that fixes it")
    void writableByOthersRefused() throws Exception {
        Files.createDirectories(containers);
        Files.setPosixFilePermissions(containers, PosixFilePermissions.fromString("rwxrwxrwx"));
        PyxisException refused = assertThrows(PyxisException.class, () -> runtimeOf(me).list(invocation));
        assertEquals("pyxis: refusing to use " + containers + ": writable by others (mode rwxrwxrwx); run chmod go-w "
                + containers + " and check what it holds", refused.getMessage());
        Files.setPosixFilePermissions(containers, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertEquals(List.<ContainerListing>of(), runtimeOf(me).list(invocation));
    }

    @Test
    @DisplayName("a file in place of the directory is refused")
    void fileRefused() throws Exception {
        Files.writeString(containers, "x");
        assertThrows(PyxisException.class, () -> runtimeOf(me).create(invocation, "pyxis_x", "/nonexistent.sqsh"));
    }

    @Test
    @DisplayName("users whose name cannot be resolved get directories named by their uid, never a shared one")
    void unresolvedNames() {
        assertEquals("alice", CharliecloudRuntime.userPrefix("alice", 1000));
        assertEquals("uid-1001", CharliecloudRuntime.userPrefix("?", 1001));
        assertEquals("uid-1002", CharliecloudRuntime.userPrefix("?", 1002));
        assertEquals("uid-1003", CharliecloudRuntime.userPrefix("", 1003));
        assertEquals("uid-1004", CharliecloudRuntime.userPrefix("../etc", 1004));
    }
}
