package dev.jpyxis.dist.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SrunCommandLineTest {

    private static List<OptionUse> read(String... args) {
        return SrunCommandLine.containerOptions(Arrays.asList(args));
    }

    @Test
    void equalsAndSpaceForms() {
        assertEquals(List.of(OptionUse.of(ContainerOption.IMAGE, "ubuntu"), OptionUse.of(ContainerOption.WORKDIR, "/w")),
                read("--container-image=ubuntu", "--container-workdir", "/w"));
    }

    @Test
    void srunOptionsAreSkippedWithTheirArguments() {
        assertEquals(List.of(OptionUse.of(ContainerOption.IMAGE, "x"), OptionUse.of(ContainerOption.ENV, "A")),
                read("-n", "4", "-N2", "--mpi", "pmix", "--ntasks-per-node=2", "--overlap", "-l",
                        "--container-image", "x", "-ln", "8", "--exclusive", "--container-env=A", "hostname"));
    }

    @Test
    void readingStopsAtTheCommand() {
        assertEquals(List.of(OptionUse.of(ContainerOption.NAME, "a")),
                read("--container-name=a", "python", "train.py", "--container-name=b"));
        assertEquals(List.of(), read("--", "--container-name=b"));
        assertEquals(List.of(), read("-", "--container-name=b"));
    }

    @Test
    void flagsAndTheirMisuse() {
        assertEquals(List.of(OptionUse.of(ContainerOption.REMAP_ROOT), OptionUse.of(ContainerOption.NO_MOUNT_HOME)),
                read("--container-remap-root", "--no-container-mount-home"));
        CommandLineException error = assertThrows(CommandLineException.class,
                () -> read("--container-writable=yes"));
        assertEquals("option '--container-writable' doesn't allow an argument", error.getMessage());
    }

    @Test
    void abbreviations() {
        assertEquals(List.of(OptionUse.of(ContainerOption.IMAGE, "x")), read("--container-im=x"));
        assertEquals(List.of(OptionUse.of(ContainerOption.NO_ENTRYPOINT)), read("--no-container-en"));
        CommandLineException error = assertThrows(CommandLineException.class, () -> read("--container-w=x"));
        assertEquals("option '--container-w' is ambiguous; possibilities: '--container-workdir' "
                + "'--container-writable'", error.getMessage());
        assertEquals(List.of(), read("--container=/bundle", "--containers"));
    }

    @Test
    void missingArgumentAtTheEnd() {
        assertEquals(List.of(OptionUse.of(ContainerOption.SAVE, null)), read("--container-save"));
    }

    @Test
    void shortOptionCarryingItsArgument() {
        assertEquals(List.of(OptionUse.of(ContainerOption.IMAGE, "x")), read("-n4", "-Jname", "--container-image=x"));
    }
}
