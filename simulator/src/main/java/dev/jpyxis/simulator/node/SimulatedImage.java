package dev.jpyxis.simulator.node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An image the simulated registry serves (or a squashfs file holds): files, environment, working directory, and what
 * its entrypoint adds to the environment and prints when it runs.
 */
public record SimulatedImage(Map<String, String> files, Map<String, String> environment, String workdir,
        Map<String, String> entrypointEnvironment, List<String> entrypointOutput) {

    public SimulatedImage {
        files = new LinkedHashMap<>(files);
        environment = new LinkedHashMap<>(environment);
        entrypointEnvironment = new LinkedHashMap<>(entrypointEnvironment);
        entrypointOutput = List.copyOf(entrypointOutput);
    }

    /** A minimal image: a shell's worth of nothing and an os-release. */
    public static SimulatedImage basic(String id) {
        return new SimulatedImage(Map.of("/etc/os-release", "ID=" + id + "\n"),
                Map.of("PATH", "/usr/local/bin:/usr/bin:/bin"), "/", Map.of(), List.of());
    }
}
