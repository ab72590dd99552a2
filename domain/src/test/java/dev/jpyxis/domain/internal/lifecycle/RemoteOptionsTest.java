package dev.jpyxis.domain.internal.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.internal.option.OptionsReading;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("options in slurmstepd")
class RemoteOptionsTest {

    @Test
    @DisplayName("forwarded options, then PYXIS_CONTAINER_* from the job environment")
    void forwardedThenEnvironment() {
        OptionsReading check = RemoteOptions.read(List.of(OptionUse.of(ContainerOption.WORKDIR, "/w")),
                Environment.of("PYXIS_CONTAINER_IMAGE", "ubuntu"));
        assertEquals("ubuntu", check.enabled().orElseThrow().image().orElseThrow());
    }

    @Test
    @DisplayName("job environment values of 4096 bytes or more count as absent")
    void longValuesAbsent() {
        OptionsReading check = RemoteOptions.read(List.of(), Environment.of("PYXIS_CONTAINER_IMAGE", "u".repeat(4096)));
        assertTrue(check.enabled().isEmpty());
        assertTrue(RemoteOptions.read(List.of(),
                Environment.of("PYXIS_CONTAINER_IMAGE", "u".repeat(4095))).enabled().isPresent());
    }

    @Test
    @DisplayName("a rejected forwarded option fails the step")
    void rejected() {
        OptionsReading check = RemoteOptions.read(List.of(OptionUse.of(ContainerOption.IMAGE, "a"),
                OptionUse.of(ContainerOption.IMAGE, "b")), Environment.empty());
        assertInstanceOf(OptionsReading.Rejected.class, check);
        assertTrue(check.enabled().isEmpty());
    }

    @Test
    @DisplayName("Slurm's second delivery of each option (launch message, then environment) is harmless")
    void duplicatesFromSlurm() {
        OptionUse name = OptionUse.of(ContainerOption.NAME, "dev:create");
        OptionUse image = OptionUse.of(ContainerOption.IMAGE, "u");
        OptionsReading check = RemoteOptions.read(List.of(name, image, name, image), Environment.empty());
        assertEquals("dev", check.enabled().orElseThrow().name().orElseThrow().name());
    }

    @Test
    @DisplayName("two deliveries that differ (srun's option, the allocation's in the environment) are refused as pyxis"
            + " refuses them (NVIDIA/pyxis args.c:262)")
    void differingDeliveriesAreRefused() {
        OptionsReading check = RemoteOptions.read(List.of(OptionUse.of(ContainerOption.IMAGE, "u"),
                OptionUse.of(ContainerOption.WORKDIR, "/a"), OptionUse.of(ContainerOption.IMAGE, "u"),
                OptionUse.of(ContainerOption.WORKDIR, "/b")), Environment.empty());
        assertEquals(List.of(Diagnostic.error("pyxis: --container-workdir specified multiple times")),
                assertInstanceOf(OptionsReading.Rejected.class, check).diagnostics());
    }

    @Test
    @DisplayName("not enabled: the ignoring warnings are reported")
    void notEnabled() {
        OptionsReading check = RemoteOptions.read(List.of(OptionUse.of(ContainerOption.WORKDIR, "/w")),
                Environment.empty());
        assertEquals(1, check.diagnostics().size());
        assertTrue(check.enabled().isEmpty());
    }
}
