package dev.jpyxis.dist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {

    private static final String SCENARIO = """
            description: a named container reused by the next step of the job
            cluster:
              nodes: 1
              plugstack: container_scope=job
              images:
                ubuntu:24.04: {files: {/etc/os-release: "ID=ubuntu\\n"}}
            actions:
              - salloc: -N1 --container-image=ubuntu:24.04
                steps:
                  - srun: -n2 --container-name=dev --container-writable touch /made-by-step-0
                    expect: {exit: 0, counts: {import: 1, create: 1}}
                  - srun: -n2 --container-name=dev cat /etc/os-release
                    expect: {exit: 0, stdout: [ID=ubuntu, ID=ubuntu], counts: {import: 0, create: 0, start: 1}}
                expect: {containers: {node1: []}}
            """;

    @TempDir
    Path directory;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new JpyxisCommand(Environment.empty(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).run(List.of(args));
    }

    private String scenario(String name, String text) throws IOException {
        Path file = directory.resolve(name);
        Files.writeString(file, text);
        return file.toString();
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPassingScenarioPrintsTheTimelinePerNodeAndTheFinalState() throws IOException {
        assertEquals(0, run("simulate", scenario("reuse.yaml", SCENARIO)));
        assertTrue(out().contains("\nnode node1\n"), out());
        assertTrue(out().contains("creating container filesystem: pyxis_100_dev"), out());
        assertTrue(out().contains("final: containers none"), out());
        assertTrue(out().contains("PASSED "), out());
        assertEquals("", err());
    }

    @Test
    void theSameFileGivesTheSameOutput() throws IOException {
        String file = scenario("reuse.yaml", SCENARIO);
        run("simulate", "--seed", "4", file);
        String first = out();
        out.reset();
        run("simulate", "--seed", "4", file);
        assertEquals(first, out());
    }

    @Test
    void aFailedExpectationExitsOneAndIsNamed() throws IOException {
        String file = scenario("wrong.yaml", SCENARIO.replace("stdout: [ID=ubuntu, ID=ubuntu]", "stdout: [ID=debian]"));
        assertEquals(1, run("simulate", file));
        assertTrue(err().startsWith("jpyxis simulate: expectation failed (seed 0): " + file + ":12: stdout: "
                + "expected the lines [ID=debian] (any order), got [ID=ubuntu, ID=ubuntu]"), err());
    }

    @Test
    void jsonCarriesTheSameReport() throws IOException {
        assertEquals(0, run("simulate", "--json", scenario("reuse.yaml", SCENARIO)));
        String json = out().strip();
        assertTrue(json.startsWith("[{\"file\":"), json);
        assertTrue(json.contains("\"passed\":true,\"first_failure\":null"), json);
        assertTrue(json.contains("\"runtime_commands\":{\"create\":1,\"import\":1,\"list\":"), json);
    }

    @Test
    void exploreRunsManyOrders() throws IOException {
        assertEquals(0, run("simulate", "--explore", "25", scenario("reuse.yaml", SCENARIO)));
        assertTrue(out().contains("25 task orders (seeds 0..24): every expectation held"), out());
    }

    @Test
    void aMalformedScenarioExitsTwoWithFileLineAndNoStackTrace() throws IOException {
        String file = scenario("bad.yaml", SCENARIO.replace("steps:", "stepz:"));
        assertEquals(2, run("simulate", file));
        assertEquals("jpyxis simulate: " + file + ":10: unknown key 'stepz' for salloc (allowed: case, expect, "
                + "salloc, steps, user)\n", err());
        assertFalse(err().contains("\tat "));
    }

    @Test
    void aHugeFileIsRefusedUnread() throws IOException {
        Path file = directory.resolve("huge.yaml");
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                java.nio.file.StandardOpenOption.WRITE)) {
            channel.write(java.nio.ByteBuffer.wrap(new byte[] {'#'}), 8L << 30); // 8 GiB, sparse
        }
        assertEquals(2, run("simulate", file.toString()));
        assertEquals("jpyxis simulate: " + file + ":1: the file is larger than 1024 KiB\n", err());
    }

    @Test
    void aMissingFileExitsTwo() {
        assertEquals(2, run("simulate", directory.resolve("nope.yaml").toString()));
        assertTrue(err().contains("nope.yaml: cannot read"), err());
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertEquals(64, run("simulate"));
        assertEquals(64, run("simulate", "--seed", "x", "f.yaml"));
        assertEquals(0, run("simulate", "--help"));
        assertTrue(out().contains("Usage: jpyxis simulate"));
    }

    @Test
    void svgPictureOfTheRunAndFlagsWithEquals() throws IOException {
        String file = scenario("s.yaml", SCENARIO);
        Path picture = directory.resolve("run.svg");
        assertEquals(0, run("simulate", "--seed=7", "--svg=" + picture, file));
        String svg = Files.readString(picture);
        assertTrue(svg.startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\""), svg);
        assertTrue(svg.contains("PASSED " + file + " (seed 7)"), svg);
        assertTrue(out().contains("scenario " + file + " (seed 7)"), out());
    }

    @Test
    void aScenarioThatExpectsNothingIsMalformed() throws IOException {
        String file = scenario("nothing.yaml", "cluster: {nodes: 1}\nactions:\n  - srun: true\n");
        assertEquals(2, run("simulate", file));
        assertEquals("jpyxis simulate: " + file + ":3: expected an expectation (expect:) under at least one action: a"
                + " scenario that expects nothing cannot fail\n", err());
    }

    private static final String CASE_SCENARIO = """
            description: a name on one node only
            cluster:
              nodes: 2
              users: {jpxtest: 5000}
              squashfs: {/home/jpxtest/img.sqsh: busybox}
              images: {busybox: {}}
            actions:
              - srun: -w node1 --container-image=./img.sqsh --container-name=lonely true
                expect: {exit: 0}
              - srun: -N2 -w node[1-2] --container-name=lonely true
                case: name-exists-on-one-node-only
                expect: {exit: 1}
            """;

    /** A real record of that case, as e2e/tests/lib.sh writes it. */
    private static String record(int exit) {
        return "{\"case\": \"name-exists-on-one-node-only\", \"runtime\": \"enroot\", \"exit\": " + exit
                + ", \"jobs\": [900037], \"starts\": {\"node1\": 1, \"node2\": 0},"
                + " \"leftovers_removed\": {\"node1\": 0, \"node2\": 0},"
                + " \"containers_before\": {\"node1\": [\"pyxis_lonely\"], \"node2\": []},"
                + " \"containers_after\": {\"node1\": [\"pyxis_lonely\"], \"node2\": []},"
                + " \"stderr\": [\"slurmstepd-node2: error: pyxis: error: a container with name \\\"pyxis_lonely\\\""
                + " does not exist, and --container-image is not set\","
                + " \"srun: error: node2: task 1: Exited with exit code 1\"], \"work_dir\": \"/home/jpxtest/e2e-work\"}\n";
    }

    @Test
    void compareSaysACaseAgreesWithTheRealClustersRecord() throws IOException {
        String records = scenario("cases.jsonl", record(1));
        assertEquals(0, run("simulate", "--compare", records, scenario("case.yaml", CASE_SCENARIO)));
        assertTrue(out().contains("agrees name-exists-on-one-node-only [enroot]"), out());
        assertTrue(out().endsWith("1 cases agree, 0 differences, 0 explained by inherent differences\n"), out());
        assertEquals("", err());
    }

    @Test
    void compareFailsNamingWhatDiffersFromTheRealCluster() throws IOException {
        String records = scenario("cases.jsonl", record(0));
        assertEquals(1, run("simulate", "--compare", records, scenario("case.yaml", CASE_SCENARIO)));
        assertTrue(out().contains("DIFFERS name-exists-on-one-node-only [enroot]: exit differ:\n    real cluster: 0\n"
                + "    simulator:    1\n"), out());
        assertTrue(err().contains("differ in 1 aspects of the multi-node cases"), err());
    }

    @Test
    void compareRefusesAMalformedRecordsFile() throws IOException {
        String records = scenario("cases.jsonl", "{\"case\": \"x\"}\n");
        assertEquals(2, run("simulate", "--compare", records, scenario("case.yaml", CASE_SCENARIO)));
        assertTrue(err().startsWith("jpyxis simulate: " + records + ":1: expected a case record"), err());
    }
}
