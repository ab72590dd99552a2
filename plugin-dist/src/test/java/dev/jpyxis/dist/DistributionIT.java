package dev.jpyxis.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged distribution's launcher as a user would, after {@code mvn package}. */
class DistributionIT {

    private static final Path DIST = Path.of("target", "jpyxis").toAbsolutePath();

    record Result(int exit, String out, String err) {
    }

    private static Result run(Path launcher, Map<String, String> env, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), out, err);
    }

    @Test
    void layoutIsBinAndLib() throws IOException {
        assertTrue(Files.isExecutable(DIST.resolve("bin/jpyxis")));
        try (Stream<Path> jars = Files.list(DIST.resolve("lib"))) {
            List<String> names = jars.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("jpyxis-domain-")), names.toString());
            assertTrue(names.stream().anyMatch(n -> n.startsWith("jpyxis-plugin-dist-")), names.toString());
            assertTrue(names.stream().noneMatch(n -> n.contains("junit")), names.toString());
        }
    }

    @Test
    void validatesThroughTheLauncher() throws Exception {
        Result ok = run(DIST.resolve("bin/jpyxis"), Map.of("PYXIS_CONTAINER_WORKDIR", "/w"), "validate", "--",
                "-n", "4", "--container-image", "ubuntu:24.04", "python", "x.py");
        assertEquals(new Result(0, "--container-image=ubuntu:24.04\n--container-workdir=/w\n", ""), ok);
        Result bad = run(DIST.resolve("bin/jpyxis"), Map.of(), "validate", "--", "--container-mounts=x:/y",
                "--container-image=u");
        assertEquals(new Result(1, "", "pyxis: mount source must be a relative path, an absolute path, \"tmpfs\" or"
                + " \"umount\"\npyxis: could not add mount entry: x:/y\n"), bad);
        Result config = run(DIST.resolve("bin/jpyxis"), Map.of(), "validate", "--config", "foo=1", "--");
        assertEquals(2, config.exit());
    }

    @Test
    void doctorReportsAsJsonAndExitsAsItsVerdictSays(@TempDir Path directory) throws Exception {
        Files.setPosixFilePermissions(directory, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path plugstack = directory.resolve("plugstack.conf");
        Files.writeString(plugstack, "required " + DIST.resolve("lib/spank_pyxis.so") + "\n");
        Result result = run(DIST.resolve("bin/jpyxis"), Map.of(), "doctor", "--json", "--plugstack",
                plugstack.toString());
        assertTrue(result.out().startsWith("{\"node\":"), result.toString());
        assertTrue(result.out().contains("{\"name\":\"plugstack\",\"status\":\"ok\""), result.out());
        assertTrue(result.out().contains("{\"name\":\"container\""), result.out());
        assertEquals(result.out().contains("\"ok\":true") ? 0 : 1, result.exit(), result.out());
    }

    @Test
    void versionOfTheBuild() throws Exception {
        Result result = run(DIST.resolve("bin/jpyxis"), Map.of(), "--version");
        assertEquals(new Result(0, "jpyxis " + System.getProperty("jpyxis.version")
                + ", pyxis 0.24 compatible\n", ""), result);
    }

    @Test
    void distributionIsRelocatable(@TempDir Path elsewhere) throws Exception {
        Path copy = elsewhere.resolve("opt/jpyxis");
        copyTree(DIST, copy);
        Path link = elsewhere.resolve("jpyxis-link");
        Files.createSymbolicLink(link, copy.resolve("bin/jpyxis"));
        Result result = run(link, Map.of(), "validate", "--", "--container-name=dev:exec");
        assertEquals(new Result(0, "--container-name=dev:exec\n", ""), result);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
