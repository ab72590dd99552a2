package dev.jpyxis.simulator.node;

import dev.jpyxis.domain.port.out.ImageImporter;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The admin's importer as pyxis's example {@code importers/simple_importer.sh} (NVIDIA/pyxis) behaves
 * (docs/pyxis-compatibility.md#importer): {@code get URI} imports the image with the node's runtime into
 * {@code $PYXIS_RUNTIME_PATH/$SLURM_JOB_UID/$JOB.$STEP.squashfs} and answers that path; {@code release} deletes it. An
 * injected import failure makes {@code get} fail.
 */
final class SimulatedImporter implements ImageImporter {

    private final String path;
    private final Path root;
    private final SimulatedRuntime runtime;

    SimulatedImporter(String path, Path root, SimulatedRuntime runtime) {
        this.path = path;
        this.root = root;
        this.runtime = runtime;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String get(RuntimeInvocation invocation, String uri) {
        runtime.command("importer-get", "importer: get " + uri);
        if (runtime.faults.contains(SimulatedRuntime.Fault.IMPORT_FAILS)) {
            throw SimulatedRuntime.failed(1, "[ERROR] Could not process JSON input");
        }
        String file = file(invocation);
        SquashfsFiles.write(DiskFiles.inside(root, file), runtime.pull(uri));
        return file;
    }

    @Override
    public void release(RuntimeInvocation invocation) {
        runtime.command("importer-release", "importer: release");
        try {
            Files.deleteIfExists(DiskFiles.inside(root, file(invocation)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String file(RuntimeInvocation invocation) {
        var env = invocation.environment();
        return env.get("PYXIS_RUNTIME_PATH").orElseThrow() + "/" + env.get("SLURM_JOB_UID").orElseThrow() + "/"
                + env.get("SLURM_JOB_ID").orElseThrow() + "." + env.get("SLURM_STEP_ID").orElseThrow() + ".squashfs";
    }
}
