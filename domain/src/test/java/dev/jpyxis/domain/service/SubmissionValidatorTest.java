package dev.jpyxis.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.port.in.SubmissionCheck;
import dev.jpyxis.domain.port.in.SubmitCommand;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("§1.5 submit-side validation in srun, sbatch and salloc")
class SubmissionValidatorTest {

    private final SubmissionValidator validator = new SubmissionValidator();

    @Test
    @DisplayName("valid options are accepted with environment defaults applied")
    void accepted() {
        SubmissionCheck check = validator.validate(PluginConfig.defaults(), SubmitCommand.SRUN,
                List.of(OptionUse.of(ContainerOption.MOUNTS, "/a:/b")),
                Environment.of("PYXIS_CONTAINER_IMAGE", "ubuntu"));
        SubmissionCheck.Accepted accepted = assertInstanceOf(SubmissionCheck.Accepted.class, check);
        assertEquals("ubuntu", accepted.options().image().orElseThrow());
        assertEquals(List.of(), accepted.diagnostics());
    }

    @Test
    @DisplayName("the first rejected option fails the submission with pyxis's lines")
    void rejected() {
        SubmissionCheck check = validator.validate(PluginConfig.defaults(), SubmitCommand.SRUN,
                List.of(OptionUse.of(ContainerOption.MOUNTS, "x:/b"), OptionUse.of(ContainerOption.IMAGE, "")),
                Environment.empty());
        assertInstanceOf(SubmissionCheck.Rejected.class, check);
        assertEquals(List.of(
                Diagnostic.error("pyxis: mount source must be a relative path, an absolute path, \"tmpfs\" or \"umount\""),
                Diagnostic.error("pyxis: could not add mount entry: x:/b")), check.diagnostics());
    }

    @Test
    @DisplayName("ignored environment values and ignored options are reported, the submission still goes ahead")
    void warnings() {
        SubmissionCheck check = validator.validate(PluginConfig.defaults(), SubmitCommand.SALLOC,
                List.of(OptionUse.of(ContainerOption.WORKDIR, "/w")),
                Environment.of("PYXIS_CONTAINER_SAVE", "/tmp/"));
        assertInstanceOf(SubmissionCheck.Accepted.class, check);
        assertEquals(List.of("pyxis: --container-save: target is a directory",
                        "pyxis: ignoring --container-workdir because neither --container-image nor --container-name is set"),
                check.diagnostics().stream().map(Diagnostic::text).toList());
    }

    @Test
    @DisplayName("sbatch_support off: sbatch and salloc refuse container options, srun does not care")
    void sbatchSupportOff() {
        PluginConfig noSbatch = PluginConfig.parse("sbatch_support=0");
        List<OptionUse> uses = List.of(OptionUse.of(ContainerOption.IMAGE, "ubuntu"));
        SubmissionCheck sbatch = validator.validate(noSbatch, SubmitCommand.SBATCH, uses, Environment.empty());
        assertEquals(List.of(Diagnostic.error(
                "pyxis: --container-image: not available in sbatch because sbatch_support is disabled")),
                assertInstanceOf(SubmissionCheck.Rejected.class, sbatch).diagnostics());
        assertInstanceOf(SubmissionCheck.Accepted.class,
                validator.validate(noSbatch, SubmitCommand.SRUN, uses, Environment.empty()));
        SubmissionCheck envOnly = validator.validate(noSbatch, SubmitCommand.SBATCH, List.of(),
                Environment.of("PYXIS_CONTAINER_IMAGE", "ubuntu"));
        assertEquals("ubuntu", assertInstanceOf(SubmissionCheck.Accepted.class, envOnly).options().image()
                .orElseThrow());
    }
}
