package dev.jpyxis.domain.port.out;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.option.TriState;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ContainerRuntime}, with enroot's semantics as the reference. Every runtime adapter (enroot,
 * Charliecloud, the simulator's runtime) runs these same tests through a subclass that supplies the means to run a
 * start command and to look into a started container.
 */
public abstract class ContainerRuntimeContract {

    private static final AtomicInteger NAMES = new AtomicInteger();

    /** The runtime under test. */
    protected abstract ContainerRuntime runtime();

    /** How commands run: the user's environment and a working directory. */
    protected abstract RuntimeInvocation invocation();

    /** A squashfs image whose {@code /etc/os-release} contains {@code ID=jpyxis-test}. */
    protected abstract String testImage();

    /** Runs a start command as the setup task does; returns the pid of the process once it stopped itself. */
    protected abstract long launchUntilStopped(ContainerLaunch launch);

    /** A file's text as the container's first process sees it. */
    protected abstract String readInContainer(long pid, String path);

    /** The environment the container's first process started with. */
    protected abstract Environment environmentOf(long pid);

    /** The first line of the process's uid map, e.g. {@code 0 1000 1}, as {@code /proc/<pid>/uid_map} shows it. */
    protected abstract String uidMapOf(long pid);

    /** Continues the stopped process and waits until it has exited. */
    protected abstract void release(long pid);

    /** A host directory holding a file {@code marker} whose text is {@code host-marker}. */
    protected abstract String hostDirectoryWithMarker();

    /** A fresh path for an output file. */
    protected abstract String outputPath(String fileName);

    protected abstract boolean exists(String path);

    /** The user's id, as the uid map shows it without remapping. */
    protected abstract long uid();

    /** A registry image reachable from this machine, if any. */
    protected Optional<String> registryImage() {
        return Optional.empty();
    }

    protected static String uniqueName() {
        return "pyxis_contract" + ProcessHandle.current().pid() + "_" + NAMES.incrementAndGet();
    }

    private StartConfiguration startOf(String target, boolean fromFile, List<FstabEntry> mounts,
            List<String> environmentNames, TriState remapRoot, Environment extra) {
        Environment env = invocation().environment();
        for (var variable : extra.asMap().entrySet()) {
            env = env.with(variable.getKey(), variable.getValue());
        }
        return new StartConfiguration(target, fromFile, mounts, false, environmentNames, TriState.UNSET, remapRoot,
                TriState.UNSET, Set.of(), env, StartConfiguration.STOP_THEN_EXIT);
    }

    private long start(StartConfiguration configuration) {
        ContainerLaunch launch = runtime().prepareStart(invocation(), configuration);
        try {
            return launchUntilStopped(launch);
        } finally {
            runtime().finishStart(launch);
            for (String file : launch.temporaryFiles()) {
                assertFalse(exists(file), "finishStart leaves nothing behind: " + file);
            }
        }
    }

    private boolean listed(String name) {
        return runtime().list(invocation()).stream().anyMatch(c -> c.name().equals(name));
    }

    @Test
    void aCreatedContainerIsListedAndNotRunning() {
        String name = uniqueName();
        runtime().create(invocation(), name, testImage());
        try {
            ContainerListing listing = runtime().list(invocation()).stream().filter(c -> c.name().equals(name))
                    .findFirst().orElseThrow();
            assertFalse(listing.running());
        } finally {
            runtime().remove(invocation(), name);
        }
        assertFalse(listed(name));
    }

    @Test
    void creatingAnExistingNameFails() {
        String name = uniqueName();
        runtime().create(invocation(), name, testImage());
        try {
            assertThrows(CommandFailedException.class, () -> runtime().create(invocation(), name, testImage()));
            assertTrue(listed(name), "the container that was there first stays");
        } finally {
            runtime().remove(invocation(), name);
        }
    }

    /**
     * A full disk or a damaged block stops the unpack midway: the runtime wrote part of the root filesystem, and no
     * later step may find that half under the name (docs/lifecycle.md#faults). Damaged data blocks (the middle of
     * the file; the tables at its end stay whole) make the unpack fail after it wrote the first files.
     */
    @Test
    void anUnpackThatFailsMidwayLeavesNoContainer() throws java.io.IOException {
        Assumptions.assumeTrue(java.nio.file.Files.isRegularFile(java.nio.file.Path.of(testImage())),
                "a simulated image cannot be damaged byte by byte");
        java.nio.file.Path damaged = java.nio.file.Path.of(outputPath("damaged.sqsh"));
        byte[] image = java.nio.file.Files.readAllBytes(java.nio.file.Path.of(testImage()));
        java.util.Arrays.fill(image, image.length / 5, image.length / 2, (byte) 0xff);
        java.nio.file.Files.write(damaged, image);
        String name = uniqueName();
        try {
            assertThrows(CommandFailedException.class, () -> runtime().create(invocation(), name, damaged.toString()));
            assertFalse(listed(name), "half a root filesystem is left under " + name);
        } finally {
            if (listed(name)) {
                runtime().remove(invocation(), name);
            }
            java.nio.file.Files.deleteIfExists(damaged);
        }
    }

    @Test
    void removingAMissingContainerFails() {
        assertThrows(CommandFailedException.class, () -> runtime().remove(invocation(), uniqueName()));
    }

    @Test
    void creatingFromAMissingImageFails() {
        assertThrows(CommandFailedException.class,
                () -> runtime().create(invocation(), uniqueName(), outputPath("missing.sqsh")));
    }

    @Test
    void aStartedContainerStopsItselfShowsItsImageAndIsListedAsRunning() {
        String name = uniqueName();
        runtime().create(invocation(), name, testImage());
        try {
            long pid = start(startOf(name, false, List.of(), List.of(), TriState.UNSET, Environment.empty()));
            try {
                assertTrue(readInContainer(pid, "/etc/os-release").contains("ID=jpyxis-test"));
                ContainerListing listed = runtime().list(invocation()).stream().filter(c -> c.name().equals(name))
                        .findFirst().orElseThrow();
                assertTrue(listed.running(), "listed as running");
                assertTrue(readInContainer(listed.pid().getAsLong(), "/etc/os-release").contains("ID=jpyxis-test"),
                        "the listed pid runs in the container");
            } finally {
                release(pid);
            }
        } finally {
            runtime().remove(invocation(), name);
        }
    }

    @Test
    void mountsAreVisibleInTheContainer() {
        String name = uniqueName();
        runtime().create(invocation(), name, testImage());
        try {
            FstabEntry mount = new FstabEntry(hostDirectoryWithMarker(), "/mnt/host", "x-create=auto,rbind");
            long pid = start(startOf(name, false, List.of(mount), List.of(), TriState.UNSET, Environment.empty()));
            try {
                assertEquals("host-marker", readInContainer(pid, "/mnt/host/marker").strip());
            } finally {
                release(pid);
            }
        } finally {
            runtime().remove(invocation(), name);
        }
    }

    @Test
    void containerEnvNamesAreInjectedBeforeTheStart() {
        String name = uniqueName();
        runtime().create(invocation(), name, testImage());
        try {
            long pid = start(startOf(name, false, List.of(), List.of("JPX_CONTRACT"), TriState.UNSET,
                    Environment.of("JPX_CONTRACT", "from-host")));
            try {
                assertEquals(Optional.of("from-host"), environmentOf(pid).get("JPX_CONTRACT"));
            } finally {
                release(pid);
            }
        } finally {
            runtime().remove(invocation(), name);
        }
    }

    /** The test image's entrypoint (e2e/images/build-test-image.sh) exports ENTRYPOINT_RAN=yes. */
    @Test
    void theImagesEntrypointRunsOnlyWhenAsked() {
        Assumptions.assumeTrue(runtime().traits().has(RuntimeFeature.ENTRYPOINT), "no entrypoint in this runtime");
        String name = uniqueName();
        runtime().create(invocation(), name, testImage());
        try {
            for (boolean entrypoint : List.of(true, false)) {
                StartConfiguration plain = startOf(name, false, List.of(), List.of(), TriState.UNSET,
                        Environment.empty());
                long pid = start(new StartConfiguration(name, false, List.of(), entrypoint, List.of(), TriState.UNSET,
                        TriState.UNSET, TriState.UNSET, Set.of(), plain.environment(), plain.command()));
                try {
                    assertEquals(entrypoint ? Optional.of("yes") : Optional.empty(),
                            environmentOf(pid).get("ENTRYPOINT_RAN"));
                } finally {
                    release(pid);
                }
            }
        } finally {
            runtime().remove(invocation(), name);
        }
    }

    @Test
    void remapRootMapsTheUserToRoot() {
        String name = uniqueName();
        runtime().create(invocation(), name, testImage());
        try {
            long remapped = start(startOf(name, false, List.of(), List.of(), TriState.TRUE, Environment.empty()));
            try {
                assertEquals("0 " + uid() + " 1", uidMapOf(remapped).trim().replaceAll("\\s+", " "));
            } finally {
                release(remapped);
            }
            long plain = start(startOf(name, false, List.of(), List.of(), TriState.FALSE, Environment.empty()));
            try {
                assertEquals(uid() + " " + uid() + " 1", uidMapOf(plain).trim().replaceAll("\\s+", " "));
            } finally {
                release(plain);
            }
        } finally {
            runtime().remove(invocation(), name);
        }
    }

    @Test
    void anExportedContainerIsASquashfsFile() {
        String name = uniqueName();
        String output = outputPath(name + ".sqsh");
        runtime().create(invocation(), name, testImage());
        try {
            runtime().export(invocation(), name, output);
            assertTrue(exists(output));
        } finally {
            runtime().remove(invocation(), name);
        }
    }

    @Test
    void exportingAMissingContainerFails() {
        assertThrows(CommandFailedException.class,
                () -> runtime().export(invocation(), uniqueName(), outputPath("never.sqsh")));
    }

    /** Whether this machine can start a squashfs file directly; adapters add what that needs here (e.g. FUSE). */
    protected boolean canStartSquashfsFiles() {
        return runtime().traits().has(RuntimeFeature.SQUASHFS_START);
    }

    @Test
    void aSquashfsFileCanBeStartedDirectlyWhereSupported() {
        Assumptions.assumeTrue(canStartSquashfsFiles(),
                runtime().traits().name() + " cannot start squashfs files directly here");
        long pid = start(startOf(testImage(), true, List.of(), List.of(), TriState.UNSET, Environment.empty()));
        try {
            assertTrue(readInContainer(pid, "/etc/os-release").contains("ID=jpyxis-test"));
        } finally {
            release(pid);
        }
    }

    @Test
    void aRegistryImageImportsToASquashfsFile() {
        Optional<String> image = registryImage();
        Assumptions.assumeTrue(image.isPresent(), "no registry image for " + runtime().traits().name());
        String output = outputPath(uniqueName() + ".sqsh");
        runtime().importImage(invocation(), image.get(), output);
        assertTrue(exists(output));
    }
}
