package dev.jpyxis.adapters.charliecloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.option.TriState;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.ContainerLaunch;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import dev.jpyxis.domain.port.out.StartConfiguration;
import dev.jpyxis.exec.CommandRunner;
import dev.jpyxis.exec.ProcessMark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The squashfuse mount made for ch-run to start a squashfs file in place, with this machine's squashfuse and
 * fusermount (skipped where they or {@code /dev/fuse} are missing): it does not outlive the start's end, even when
 * the signals of a cancelled step kill the unmount.
 */
@DisplayName("Charliecloud's squashfuse mount of an image started in place")
class SquashfsMountTest {

    private static final String DAEMON_PATH = "/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin";

    private final CharliecloudTools installed = CharliecloudTools.locate(DAEMON_PATH);
    private final RunningContainers running = new RunningContainers();
    private Path work;
    private Path image;

    @BeforeEach
    void requireFuse() throws Exception {
        Path fuse = Path.of("/dev/fuse");
        boolean usable = Files.isExecutable(Path.of(installed.squashfuse()))
                && Files.isExecutable(Path.of(installed.fusermount())) && Files.isReadable(fuse)
                && Files.isWritable(fuse) && Files.isExecutable(Path.of(CharliecloudTools.find(DAEMON_PATH,
                        "mksquashfs")));
        if (!usable) {
            System.err.println("!!! squashfuse, fusermount, mksquashfs or /dev/fuse is missing: the squashfuse mount"
                    + " tests are SKIPPED !!!");
        }
        Assumptions.assumeTrue(usable, "no squashfuse here");
        work = Files.createTempDirectory("jpyxis-squashfuse");
        Path tree = Files.createDirectories(work.resolve("tree/etc"));
        Files.writeString(tree.resolve("os-release"), "ID=jpyxis-test\n");
        image = work.resolve("image.sqsh");
        CommandRunner.Result built = new CommandRunner().run(List.of(CharliecloudTools.find(DAEMON_PATH, "mksquashfs"),
                work.resolve("tree").toString(), image.toString(), "-noappend", "-quiet"), environment(), work);
        Assumptions.assumeTrue(built.succeeded(), "mksquashfs failed: " + built.output());
    }

    @AfterEach
    void cleanUp() {
        if (work == null) {
            return;
        }
        try (var entries = Files.list(work.resolve("containers"))) {
            entries.filter(running::mounted).forEach(mountpoint -> new CommandRunner().run(
                    List.of(installed.fusermount(), "-u", "-z", mountpoint.toString()), environment(), Path.of("/")));
        } catch (java.io.IOException none) {
            // nothing was mounted
        }
        new CommandRunner().run(List.of("/bin/rm", "-rf", work.toString()), environment(), Path.of("/"));
    }

    @Test
    @DisplayName("the end of the start detaches the mount and removes its mount point")
    void detachedAtTheEndOfTheStart() {
        CharliecloudRuntime runtime = runtime(installed);
        ContainerLaunch launch = runtime.prepareStart(invocation(), inPlace());
        Path mountpoint = Path.of(launch.temporaryFiles().get(0));
        assertTrue(running.mounted(mountpoint), "squashfuse mounted the image for ch-run");
        assertTrue(runtime.finishStart(launch));
        assertFalse(running.mounted(mountpoint));
        assertFalse(Files.exists(mountpoint));
    }

    @Test
    @DisplayName("an unmount killed by the step's SIGTERM is tried again: no mount is left")
    void killedUnmountTriedAgain() throws Exception {
        CharliecloudRuntime runtime = runtime(withFusermount(killedOnce()));
        ContainerLaunch launch = runtime.prepareStart(invocation(), inPlace());
        Path mountpoint = Path.of(launch.temporaryFiles().get(0));
        assertTrue(runtime.finishStart(launch));
        assertTrue(Files.exists(work.resolve("fusermount.killed")), "the first unmount was killed");
        assertFalse(running.mounted(mountpoint), "the squashfuse mount outlived the start");
        assertFalse(Files.exists(mountpoint));
    }

    @Test
    @DisplayName("a mount every unmount failed to detach is reported, for the step to ask again at its end")
    void mountStillThereIsReported() throws Exception {
        Path alwaysKilled = script("fusermount-killed", "kill -TERM $$\n");
        CharliecloudRuntime killed = runtime(withFusermount(alwaysKilled));
        ContainerLaunch launch = killed.prepareStart(invocation(), inPlace());
        Path mountpoint = Path.of(launch.temporaryFiles().get(0));
        assertFalse(killed.finishStart(launch));
        assertTrue(running.mounted(mountpoint));
        assertTrue(runtime(installed).finishStart(launch), "asked again once unmounts work");
        assertFalse(running.mounted(mountpoint));
    }

    @Test
    @DisplayName("a squashfuse killed by the step's SIGTERM once it had mounted: the failed start leaves no mount")
    void mountOfAKilledSquashfuseIsDetached() throws Exception {
        Path killedAfterMounting = script("squashfuse-killed", "'" + installed.squashfuse() + "' \"$@\" || exit\n"
                + "kill -TERM $$\n");
        CharliecloudRuntime runtime = runtime(withSquashfuse(killedAfterMounting));
        assertThrows(CommandFailedException.class, () -> runtime.prepareStart(invocation(), inPlace()));
        try (var left = Files.list(work.resolve("containers"))) {
            assertEquals(List.of(), left.toList(), "no mount point, mounted or not, is left");
        }
    }

    @Test
    @DisplayName("a mount left by an engine that is gone (killed before the start's end) is detached by the user's next"
            + " start in place; one of an engine that runs, or of no engine named, stays")
    void mountOfAGoneEngineIsDetachedByTheNextStart() throws Exception {
        ProcessMark self = ProcessMark.self().orElseThrow();
        Path gone = mountByHand(".squashfuse-4194305-" + self.startTime() + "-1"); // above the kernel's largest pid
        Path reused = mountByHand(".squashfuse-" + self.pid() + "-" + (self.startTime() + 1) + "-2");
        Path live = mountByHand(".squashfuse-" + self.prefix() + "3");
        Path unnamed = mountByHand(".squashfuse-4");
        CharliecloudRuntime runtime = runtime(installed);
        ContainerLaunch launch = runtime.prepareStart(invocation(), inPlace());
        assertFalse(running.mounted(gone));
        assertFalse(Files.exists(gone));
        assertFalse(running.mounted(reused), "a later process with the engine's pid is another process");
        assertTrue(running.mounted(live));
        assertTrue(running.mounted(unnamed));
        Path own = Path.of(launch.temporaryFiles().get(0));
        assertTrue(own.getFileName().toString().startsWith(".squashfuse-" + self.prefix()), own.toString());
        assertTrue(runtime.finishStart(launch));
    }

    private Path mountByHand(String name) throws Exception {
        Path mountpoint = Files.createDirectories(work.resolve("containers").resolve(name));
        CommandRunner.Result mounted = new CommandRunner().run(List.of(installed.squashfuse(), image.toString(),
                mountpoint.toString()), environment(), work);
        assertTrue(mounted.succeeded() && running.mounted(mountpoint), mounted.output().toString());
        return mountpoint;
    }

    /** The real fusermount, killed with SIGTERM (as slurmstepd signals a cancelled step) the first time it runs. */
    private Path killedOnce() throws Exception {
        return script("fusermount-killed-once", "if [ ! -e '" + work.resolve("fusermount.killed") + "' ]; then\n"
                + "    : > '" + work.resolve("fusermount.killed") + "'\n    kill -TERM $$\nfi\n"
                + "exec '" + installed.fusermount() + "' \"$@\"\n");
    }

    private Path script(String name, String body) throws Exception {
        Path script = work.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private CharliecloudTools withSquashfuse(Path squashfuse) {
        return new CharliecloudTools(installed.chRun(), installed.chImage(), installed.chConvert(),
                installed.unsquashfs(), squashfuse.toString(), installed.fusermount(), installed.unshare());
    }

    private CharliecloudTools withFusermount(Path fusermount) {
        return new CharliecloudTools(installed.chRun(), installed.chImage(), installed.chConvert(),
                installed.unsquashfs(), installed.squashfuse(), fusermount.toString(), installed.unshare());
    }

    private CharliecloudRuntime runtime(CharliecloudTools tools) {
        return new CharliecloudRuntime(tools, new CommandRunner(), work.resolve("storage"), work.resolve("containers"),
                running);
    }

    private StartConfiguration inPlace() {
        return new StartConfiguration(image.toString(), true, List.of(), false, List.of(), TriState.UNSET,
                TriState.UNSET, TriState.UNSET, Set.of(), environment(), List.of("true"));
    }

    private RuntimeInvocation invocation() {
        return new RuntimeInvocation(environment(), work.toString());
    }

    private static Environment environment() {
        return Environment.of("PATH", DAEMON_PATH, "HOME", System.getProperty("user.home"));
    }
}
