package dev.jpyxis.domain.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.port.in.SubmissionCheck;
import dev.jpyxis.domain.port.in.SubmitCommand;
import dev.jpyxis.domain.port.in.SubmitRequest;
import dev.jpyxis.domain.port.out.RuntimeFeature;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("submit-side validation in srun, sbatch and salloc")
class SubmissionValidatorTest {

    private static final RuntimeTraits ENROOT_LIKE = new RuntimeTraits("enroot", java.util.Set.of(),
            java.util.EnumSet.allOf(RuntimeFeature.class));
    private static final RuntimeTraits LIMITED = new RuntimeTraits("charliecloud", java.util.Set.of(),
            java.util.EnumSet.of(RuntimeFeature.LOAD));

    private static SubmissionCheck validate(RuntimeTraits traits, String config, SubmitCommand command,
            List<OptionUse> uses, Environment environment) {
        List<String> arguments = config.isEmpty() ? List.of() : List.of(config.split(" "));
        return new SubmissionValidator(kind -> traits).validate(new SubmitRequest(arguments, command, uses,
                environment));
    }

    @Test
    @DisplayName("what the runtime cannot do is refused before submission, naming the runtime")
    void runtimeRefusals() {
        SubmissionCheck check = validate(LIMITED, "", SubmitCommand.SRUN,
                List.of(OptionUse.of(ContainerOption.IMAGE, "u"), OptionUse.of(ContainerOption.UNSHARE, "net")),
                Environment.empty());
        assertEquals(List.of(Diagnostic.error("pyxis: --container-unshare=net is not supported by the charliecloud "
                + "runtime")), assertInstanceOf(SubmissionCheck.Rejected.class, check).diagnostics());
        assertInstanceOf(SubmissionCheck.Accepted.class, validate(LIMITED, "",
                SubmitCommand.SRUN, List.of(OptionUse.of(ContainerOption.UNSHARE, "net")), Environment.empty()),
                "not enabled: nothing reaches the runtime");
    }

    @Test
    @DisplayName("valid options are accepted with environment defaults applied")
    void accepted() {
        SubmissionCheck check = validate(ENROOT_LIKE, "", SubmitCommand.SRUN,
                List.of(OptionUse.of(ContainerOption.MOUNTS, "/a:/b")),
                Environment.of("PYXIS_CONTAINER_IMAGE", "ubuntu"));
        SubmissionCheck.Accepted accepted = assertInstanceOf(SubmissionCheck.Accepted.class, check);
        assertEquals(List.of("--container-image=ubuntu", "--container-mounts=/a:/b"), accepted.normalizedOptions());
        assertEquals(List.of(), accepted.diagnostics());
    }

    @Test
    @DisplayName("the first rejected option fails the submission with pyxis's lines")
    void rejected() {
        SubmissionCheck check = validate(ENROOT_LIKE, "", SubmitCommand.SRUN,
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
        SubmissionCheck check = validate(ENROOT_LIKE, "", SubmitCommand.SALLOC,
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
        List<OptionUse> uses = List.of(OptionUse.of(ContainerOption.IMAGE, "ubuntu"));
        SubmissionCheck sbatch = validate(ENROOT_LIKE, "sbatch_support=0", SubmitCommand.SBATCH, uses, Environment.empty());
        assertEquals(List.of(Diagnostic.error(
                "pyxis: --container-image: not available in sbatch because sbatch_support is disabled")),
                assertInstanceOf(SubmissionCheck.Rejected.class, sbatch).diagnostics());
        assertInstanceOf(SubmissionCheck.Accepted.class,
                validate(ENROOT_LIKE, "sbatch_support=0", SubmitCommand.SRUN, uses, Environment.empty()));
        SubmissionCheck envOnly = validate(ENROOT_LIKE, "sbatch_support=0", SubmitCommand.SBATCH, List.of(),
                Environment.of("PYXIS_CONTAINER_IMAGE", "ubuntu"));
        assertTrue(assertInstanceOf(SubmissionCheck.Accepted.class, envOnly).normalizedOptions()
                .contains("--container-image=ubuntu"));
    }

    @Test
    @DisplayName("an unreadable plugstack line fails sbatch and salloc with pyxis's lines; srun uses the defaults")
    void unreadableConfiguration() {
        List<OptionUse> uses = List.of(OptionUse.of(ContainerOption.IMAGE, "ubuntu"));
        assertEquals(List.of(Diagnostic.error("pyxis: unknown configuration option: colour=blue"),
                Diagnostic.error("pyxis: failed to parse configuration")),
                assertInstanceOf(SubmissionCheck.Rejected.class, validate(ENROOT_LIKE, "colour=blue",
                        SubmitCommand.SALLOC, uses, Environment.empty())).diagnostics());
        assertEquals(List.of(), assertInstanceOf(SubmissionCheck.Accepted.class, validate(ENROOT_LIKE, "colour=blue",
                SubmitCommand.SRUN, uses, Environment.empty())).diagnostics());
    }
}
