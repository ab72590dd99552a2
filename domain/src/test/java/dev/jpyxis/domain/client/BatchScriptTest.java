package dev.jpyxis.domain.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jpyxis.domain.client.ClientCommandLine.Given;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Every rule below was observed with Slurm 22.05's sbatch. */
@DisplayName("#SBATCH directives, as sbatch reads them")
class BatchScriptTest {

    private static List<String> words(String script) {
        return BatchScript.words("job.sh", script);
    }

    private static List<String> refusal(String name, String script) {
        return assertThrows(RefusedCommandLineException.class, () -> BatchScript.options(name, script, true))
                .lines();
    }

    @Test
    @DisplayName("only lines beginning with #SBATCH, up to the first command; comments and blank lines are passed")
    void whichLines() {
        assertEquals(List.of("-N2", "--container-image=x", "--job-name=j"), words("""
                #!/bin/sh
                #SBATCH -N2 --container-image=x

                # a comment
                  # an indented comment
                  #SBATCH --not-a-directive
                #SBATCH --job-name=j
                echo hello
                #SBATCH --after-the-first-command
                """));
    }

    @Test
    @DisplayName("no blank is needed after #SBATCH")
    void noBlankNeeded() {
        assertEquals(List.of("--exclusive"), words("#!/bin/sh\n#SBATCH--exclusive\n"));
    }

    @Test
    @DisplayName("an unquoted # ends the directive; quoted or escaped it is text")
    void comments() {
        assertEquals(List.of("--job-name=a"), words("#!/bin/sh\n#SBATCH --job-name=a # --zzz\n"));
        assertEquals(List.of("--job-name=a"), words("#!/bin/sh\n#SBATCH --job-name=a#b --zzz\n"));
        assertEquals(List.of("--job-name=a#b", "--x"), words("#!/bin/sh\n#SBATCH --job-name=\"a#b\" --x\n"));
        assertEquals(List.of("--job-name=a#b"), words("#!/bin/sh\n#SBATCH --job-name=a\\#b\n"));
    }

    @Test
    @DisplayName("quotes group words and are removed; a backslash before a blank does not join words")
    void quotesAndBackslashes() {
        assertEquals(List.of("--job-name=a b", "--comment=it's"), words(
                "#!/bin/sh\n#SBATCH --job-name=\"a b\" --comment=\"it's\"\n"));
        assertEquals(List.of("--job-name=ab"), words("#!/bin/sh\n#SBATCH --job-name='a'b\n"));
        assertEquals(List.of("-J", "a\"b"), words("#!/bin/sh\n#SBATCH -J \"a\\\"b\"\n"));
        assertEquals(List.of("--job-name=a", "b"), words("#!/bin/sh\n#SBATCH --job-name=a\\ b\n"));
    }

    @Test
    @DisplayName("the options of the directives, container options among them")
    void options() {
        ClientCommandLine read = BatchScript.options("job.sh",
                "#!/bin/bash\n#SBATCH -N1 --container-image=ubuntu\n#SBATCH --container-writable\nsrun true\n", true);
        assertEquals(List.of(new Given("nodes", "1")), read.options());
        assertEquals(List.of(OptionUse.of(ContainerOption.IMAGE, "ubuntu"), OptionUse.of(ContainerOption.WRITABLE)),
                read.containerOptions());
    }

    @Test
    @DisplayName("what sbatch refuses, with its text")
    void refusals() {
        assertEquals(List.of("sbatch: error: Batch script is empty!"), refusal("job.sh", ""));
        assertEquals(List.of("sbatch: error: This does not look like a batch script.  The first",
                "sbatch: error: line must start with #! followed by the path to an interpreter.",
                "sbatch: error: For instance: #!/bin/sh"), refusal("job.sh", "#SBATCH -N1\n"));
        assertEquals(List.of("sbatch: error: Batch script contains DOS line breaks (\\r\\n)",
                "sbatch: error: instead of expected UNIX line breaks (\\n)."), refusal("job.sh", "#!/bin/sh\r\n"));
        assertEquals(List.of("sbatch: fatal: job.sh: line 2: Unmatched `\"` in [--job-name=\"a b]"),
                refusal("/home/u/job.sh", "#!/bin/sh\n#SBATCH --job-name=\"a b\n"));
        assertEquals(List.of("sbatch: fatal: job.sh: line 3: Unmatched `'` in [ 'a]"),
                refusal("job.sh", "#!/bin/sh\n\n#SBATCH -J 'a\n"));
        assertEquals(List.of("sbatch: error: Invalid directive found in batch script: b"),
                refusal("job.sh", "#!/bin/sh\n#SBATCH -J a b\n#SBATCH --zzz\n"));
        assertEquals(List.of("sbatch: unrecognized option '--zzz'", "Try \"sbatch --help\" for more information"),
                refusal("job.sh", "#!/bin/sh\n#SBATCH --zzz\n"));
    }
}
