package dev.jpyxis.dist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpyxis.domain.env.Environment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("jpyxis validate: sbatch scripts and JSON")
class ValidateCommandTest {

    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        List<String> all = new ArrayList<>(List.of("validate"));
        all.addAll(List.of(args));
        return new JpyxisCommand(Environment.empty(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(all);
    }

    private String script(String text) throws IOException {
        Path script = directory.resolve("job.sh");
        Files.writeString(script, text);
        return script.toString();
    }

    @Test
    @DisplayName("the #SBATCH lines of the script come first, then sbatch's command line")
    void directivesThenCommandLine() throws IOException {
        String script = script("#!/bin/sh\n#SBATCH -N1 --container-image=ubuntu # a comment\n"
                + "#SBATCH --container-writable\nsrun true\n#SBATCH --container-name=ignored\n");
        assertEquals(0, run("--command", "sbatch", "--", "--container-workdir=/w", script, "arg"));
        assertEquals("--container-image=ubuntu\n--container-workdir=/w\n--container-writable\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("a script's directive conflicting with the command line fails as in pyxis")
    void conflict() throws IOException {
        String script = script("#!/bin/sh\n#SBATCH --container-image=ubuntu\n");
        assertEquals(1, run("--command=sbatch", "--", "--container-image=debian", script));
        assertEquals("pyxis: --container-image specified multiple times\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("what sbatch refuses in a script, with its text")
    void refusedScripts() throws IOException {
        assertEquals(1, run("--command", "sbatch", "--", script("#!/bin/sh\n#SBATCH --container-imag=x y\n")));
        assertEquals("sbatch: error: Invalid directive found in batch script: y\n",
                err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(1, run("--command", "sbatch", "--", directory.resolve("missing.sh").toString()));
        assertEquals("sbatch: error: Unable to open file " + directory.resolve("missing.sh") + "\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("--json: the verdict, the normalized options and every message with its level")
    void json() {
        assertEquals(0, run("--json", "--", "--container-image=x", "--container-mount-home", "true"));
        assertEquals("{\"command\":\"srun\",\"valid\":true,\"exit\":0,\"options\":[\"--container-image=x\","
                + "\"--container-mount-home\"],\"messages\":[]}\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        out.reset();
        assertEquals(1, run("--json", "--", "--container-iamge=x", "true"));
        assertEquals("{\"command\":\"srun\",\"valid\":false,\"exit\":1,\"options\":[],\"messages\":["
                + "{\"level\":\"error\",\"text\":\"srun: unrecognized option '--container-iamge=x'\"},"
                + "{\"level\":\"error\",\"text\":\"Try \\\"srun --help\\\" for more information\"}]}\n",
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("--json with a configuration it cannot read")
    void jsonBadConfiguration() {
        assertEquals(2, run("--config=foo=1", "--json", "--"));
        assertEquals("{\"command\":\"srun\",\"valid\":false,\"exit\":2,\"options\":[],\"messages\":["
                + "{\"level\":\"error\",\"text\":\"pyxis: unknown configuration option: foo=1\"},"
                + "{\"level\":\"error\",\"text\":\"pyxis: failed to parse configuration\"}]}\n",
                out.toString(StandardCharsets.UTF_8));
    }
}
