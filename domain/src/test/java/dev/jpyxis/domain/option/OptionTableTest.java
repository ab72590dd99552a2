package dev.jpyxis.domain.option;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("option table")
class OptionTableTest {

    @Test
    @DisplayName("there are exactly the sixteen pyxis options, in pyxis's order")
    void sixteenOptions() {
        List<String> names = Arrays.stream(ContainerOption.values()).map(ContainerOption::optionName).toList();
        assertEquals(List.of("container-image", "container-mounts", "container-workdir", "container-name",
                "container-save", "container-mount-home", "no-container-mount-home", "container-remap-root",
                "no-container-remap-root", "container-entrypoint", "no-container-entrypoint",
                "container-entrypoint-log", "container-writable", "container-readonly", "container-env",
                "container-unshare"), names);
    }

    @ParameterizedTest(name = "{0}: arginfo {1}, has_arg {2}, val {3}")
    @CsvSource(delimiter = ';', nullValues = "-", value = {
        "container-image;[USER@][REGISTRY#]IMAGE[:TAG]|PATH;1;0",
        "container-mounts;SRC:DST[:FLAGS][,SRC:DST...];1;0",
        "container-workdir;PATH;1;0",
        "container-name;NAME;1;0",
        "container-save;PATH;1;0",
        "container-mount-home;-;0;1",
        "no-container-mount-home;-;0;0",
        "container-remap-root;-;0;1",
        "no-container-remap-root;-;0;0",
        "container-entrypoint;-;0;1",
        "no-container-entrypoint;-;0;0",
        "container-entrypoint-log;-;0;1",
        "container-writable;-;0;1",
        "container-readonly;-;0;0",
        "container-env;NAME[,NAME...];1;0",
        "container-unshare;NS[,NS...];1;1"})
    void registrationValues(String name, String argInfo, int hasArg, int val) {
        ContainerOption option = ContainerOption.byName(name).orElseThrow();
        assertEquals(argInfo, option.argInfo().orElse(null));
        assertEquals(hasArg, option.argumentKind().spankHasArg());
        assertEquals(val, option.spankVal());
        assertEquals("--" + name, option.flag());
    }

    @Test
    @DisplayName("every help text carries the [pyxis] prefix Slurm shows")
    void helpTextsArePrefixed() {
        for (ContainerOption option : ContainerOption.values()) {
            assertTrue(option.usage().startsWith("[pyxis] "), option.flag());
            assertTrue(option.usage().length() > "[pyxis] ".length() + 10, option.flag());
        }
    }

    @ParameterizedTest(name = "{0}")
    @DisplayName("every help text is pyxis 0.24's, byte for byte (NVIDIA/pyxis args.c:46 to args.c:160)")
    @CsvSource(delimiter = ';', quoteCharacter = '`', value = {
        "container-image;`[pyxis] the image to use for the container filesystem. Can be either a docker image given as an enroot URI, or a path to a squashfs file on the remote host filesystem.`",
        "container-mounts;`[pyxis] bind mount[s] inside the container. Mount flags are separated with \"+\", e.g. \"ro+rprivate\"`",
        "container-workdir;`[pyxis] working directory inside the container`",
        "container-name;`[pyxis] name to use for saving and loading the container on the host. Unnamed containers are removed after the slurm task is complete; named containers are not. If a container with this name already exists, the existing container is used and the import is skipped.`",
        "container-save;`[pyxis] Save the container state to a squashfs file on the remote host filesystem.`",
        "container-mount-home;`[pyxis] bind mount the user's home directory. System-level enroot settings might cause this directory to be already-mounted.`",
        "no-container-mount-home;`[pyxis] do not bind mount the user's home directory`",
        "container-remap-root;`[pyxis] ask to be remapped to root inside the container. Does not grant elevated system permissions, despite appearances.`",
        "no-container-remap-root;`[pyxis] do not remap to root inside the container`",
        "container-entrypoint;`[pyxis] execute the entrypoint from the container image`",
        "no-container-entrypoint;`[pyxis] do not execute the entrypoint from the container image`",
        "container-entrypoint-log;`[pyxis] print the output of the entrypoint script`",
        "container-writable;`[pyxis] make the container filesystem writable`",
        "container-readonly;`[pyxis] make the container filesystem read-only`",
        "container-env;`[pyxis] names of environment variables to override with the host environment and set at the entrypoint. By default, all exported host environment variables are set in the container after the entrypoint is run, but their existing values in the image take precedence; the variables specified with this flag are preserved from the host and set before the entrypoint runs`",
        "container-unshare;`[pyxis] create new namespaces for the container. Supported: net, ipc, uts.`"})
    void helpTextsArePyxisOwn(String name, String pyxisText) {
        assertEquals(pyxisText, ContainerOption.byName(name).orElseThrow().usage());
    }

    @Test
    @DisplayName("options are found by name with or without dashes, and only by their exact name")
    void lookup() {
        assertEquals(ContainerOption.IMAGE, ContainerOption.byName("--container-image").orElseThrow());
        assertEquals(ContainerOption.IMAGE, ContainerOption.byName("container-image").orElseThrow());
        assertTrue(ContainerOption.byName("--container-imag").isEmpty());
        assertTrue(ContainerOption.byName("--container").isEmpty());
    }

    @Test
    @DisplayName("options without argument drop any argument given to them")
    void flagsCarryNoArgument() {
        assertEquals(null, OptionUse.of(ContainerOption.WRITABLE, "x").argument());
        assertEquals("x", OptionUse.of(ContainerOption.IMAGE, "x").argument());
    }
}
