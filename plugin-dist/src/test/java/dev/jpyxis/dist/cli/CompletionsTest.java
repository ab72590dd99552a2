package dev.jpyxis.dist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.option.ContainerOption;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("bash completion, generated from the help texts and the option table")
class CompletionsTest {

    @Test
    @DisplayName("a command's options are those its help names, before its exit statuses")
    void optionsOfAHelp() {
        assertEquals(List.of("--config", "--command", "--json", "--help"),
                List.copyOf(Completions.options(ValidateCommand.USAGE)));
        assertEquals(List.of("--java", "--help"), List.copyOf(Completions.options(InstallCommand.USAGE)));
        assertTrue(Completions.options(DoctorCommand.USAGE).containsAll(List.of("--plugstack", "--user", "--image",
                "--registry", "--json")));
    }

    @Test
    @DisplayName("every container option, with = after those that take an argument")
    void containerOptions() {
        String line = Completions.slurm().lines().filter(l -> l.startsWith("_jpyxis_container_options="))
                .findFirst().orElseThrow();
        List<String> listed = List.of(line.substring(line.indexOf('\'') + 1, line.lastIndexOf('\'')).split(" "));
        assertEquals(java.util.Arrays.stream(ContainerOption.values())
                .map(option -> option.flag() + (option.takesArgument() ? "=" : "")).toList(), listed);
    }

    /** Runs a completion function in bash as bash-completion would, and returns the candidates. */
    private static List<String> complete(Path script, String function, String... words)
            throws IOException, InterruptedException {
        String line = String.join(" ", words);
        String program = ". " + script + "\nCOMP_WORDS=(" + line + ")\nCOMP_CWORD=" + (words.length - 1)
                + "\n" + function + " " + words[0] + "\nprintf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process bash = new ProcessBuilder("bash", "--norc", "-c", program).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        bash.waitFor();
        return out.lines().filter(candidate -> !candidate.isEmpty()).sorted().toList();
    }

    @Test
    @DisplayName("in bash: jpyxis's commands and options, srun's container options")
    void inBash(@TempDir Path directory) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not installed");
        Completions.main(new String[] {directory.toString()});
        Path jpyxis = directory.resolve("jpyxis");
        assertEquals(List.of("doctor"), complete(jpyxis, "_jpyxis", "jpyxis", "do"));
        assertEquals(List.of("--seed"), complete(jpyxis, "_jpyxis", "jpyxis", "simulate", "--se"));
        assertEquals(List.of("srun"), complete(jpyxis, "_jpyxis", "jpyxis", "validate", "--command", "sr"));
        Path slurm = directory.resolve("jpyxis-slurm");
        assertEquals(List.of("--container-image="), complete(slurm, "_jpyxis_slurm", "srun", "--container-im"));
        assertEquals(List.of("--no-container-entrypoint", "--no-container-mount-home",
                "--no-container-remap-root"), complete(slurm, "_jpyxis_slurm", "srun", "--no-container"));
        assertEquals(List.of("ipc"), complete(slurm, "_jpyxis_slurm", "srun", "--container-unshare=i"));
    }
}
