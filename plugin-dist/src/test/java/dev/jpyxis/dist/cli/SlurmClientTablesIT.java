package dev.jpyxis.dist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.client.ClientCommandLine;
import dev.jpyxis.domain.client.RefusedCommandLineException;
import dev.jpyxis.domain.option.ArgumentKind;
import dev.jpyxis.domain.port.in.SubmitCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The option tables {@code jpyxis validate} and the simulator read command lines with are those of the srun, sbatch
 * and salloc installed here: every option their {@code --help} shows is known, every abbreviation of one letter is
 * refused (or accepted) with the same text, and every option takes its argument as the real client's does. The
 * clients run without a cluster: option errors come before any contact with slurmctld. Skipped, loudly, where Slurm's
 * clients are not installed.
 */
class SlurmClientTablesIT {

    private static final Pattern GETOPT = Pattern.compile(".*(unrecognized option|is ambiguous|requires an argument"
            + "|doesn't allow an argument|invalid option --).*");
    private static final String SENTINEL = "--zzzz";

    @TempDir
    static Path directory;

    private static Path slurmConf;

    @BeforeAll
    static void slurmConfiguration() throws IOException {
        Files.writeString(directory.resolve("plugstack.conf"), "");
        slurmConf = directory.resolve("slurm.conf");
        // no plugin: the machine's plugstack.conf (which may load jpyxis) must not add options
        Files.writeString(slurmConf, "ClusterName=tables\nSlurmctldHost=localhost\nPlugStackConfig="
                + directory.resolve("plugstack.conf") + "\n");
    }

    private static void requireClient(SubmitCommand client) {
        boolean installed = Files.isExecutable(Path.of("/usr/bin", client.command()));
        if (!installed) {
            System.err.println("!!! /usr/bin/" + client.command() + " is not installed: its option table is NOT"
                    + " checked against the real client (install slurm-client) !!!");
        }
        Assumptions.assumeTrue(installed, client.command() + " is not installed");
    }

    /** The first line the real client prints about its options, or "" when it prints none in time. */
    private static String real(SubmitCommand client, List<String> args) throws IOException, InterruptedException {
        // as a user types it: getopt names the program by argv[0]
        List<String> command = new ArrayList<>(List.of(client.command()));
        command.addAll(args);
        Path stderr = Files.createTempFile(directory, "stderr", ".txt");
        Process process = client(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(stderr.toFile()).start();
        // a client that got past its options may wait for a controller: what it printed by then is enough
        if (!process.waitFor(1500, TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor();
        }
        try {
            return Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
                    .filter(line -> GETOPT.matcher(line).matches()).findFirst().orElse("");
        } finally {
            Files.delete(stderr);
        }
    }

    private static ProcessBuilder client(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(Map.of("PATH", "/usr/bin:/bin", "SLURM_CONF", slurmConf.toString(),
                "LC_ALL", "C"));
        return builder;
    }

    private static String ours(SubmitCommand client, List<String> args) {
        try {
            ClientCommandLine.read(client, args, false);
            return "";
        } catch (RefusedCommandLineException refused) {
            return refused.lines().get(0);
        }
    }

    /** One probe: the real client's complaint, if any, is ours; without one, ours may only be about the sentinel. */
    private static String compare(SubmitCommand client, List<String> args) throws Exception {
        String real = real(client, args);
        String ours = ours(client, args);
        boolean agree = real.isEmpty() ? ours.isEmpty() || ours.contains("'" + SENTINEL + "'")
                || ours.contains("-- 'Y'") : real.equals(ours);
        return agree ? "" : client.command() + " " + String.join(" ", args) + ":\n    real: " + real + "\n    ours: "
                + ours;
    }

    @ParameterizedTest
    @EnumSource(SubmitCommand.class)
    void everyOptionOfTheHelpIsKnown(SubmitCommand client) throws Exception {
        requireClient(client);
        Process help = client(List.of(client.command(), "--help")).redirectErrorStream(true).start();
        String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        help.waitFor();
        Set<String> shown = new TreeSet<>();
        Matcher option = Pattern.compile("(?<![\\w-])--([a-z][a-z0-9_-]*[a-z0-9])").matcher(text);
        while (option.find()) {
            shown.add(option.group(1));
        }
        assertTrue(shown.size() > 20, text);
        Set<String> unknown = new TreeSet<>(shown);
        unknown.removeAll(ClientCommandLine.ownOptions(client).keySet());
        assertEquals(Set.of(), unknown, client.command() + " --help shows options the table lacks");
    }

    @ParameterizedTest
    @EnumSource(SubmitCommand.class)
    void theClientReadsItsOptionsAsTheTableSays(SubmitCommand client) throws Exception {
        requireClient(client);
        List<List<String>> probes = new ArrayList<>();
        for (char letter = 'a'; letter <= 'z'; letter++) {
            probes.add(List.of("--" + letter, SENTINEL));
        }
        for (char letter : "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXZ0123456789".toCharArray()) {
            probes.add(List.of("-" + letter, "-Y"));
            probes.add(List.of("-" + letter));
        }
        for (Map.Entry<String, ArgumentKind> entry : ClientCommandLine.ownOptions(client).entrySet()) {
            String name = "--" + entry.getKey();
            switch (entry.getValue()) {
                case NONE -> probes.add(List.of(name + "=x", SENTINEL));
                case REQUIRED -> probes.add(List.of(name));
                case OPTIONAL -> {
                    probes.add(List.of(name, SENTINEL));
                    probes.add(List.of(name + "=x", SENTINEL));
                }
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (List<String> probe : probes) {
                results.add(pool.submit(() -> compare(client, probe)));
            }
            List<String> differences = new ArrayList<>();
            for (Future<String> result : results) {
                if (!result.get().isEmpty()) {
                    differences.add(result.get());
                }
            }
            assertEquals("", String.join("\n", differences), "where the table and the real " + client.command()
                    + " differ");
        } finally {
            pool.shutdownNow();
        }
    }
}
