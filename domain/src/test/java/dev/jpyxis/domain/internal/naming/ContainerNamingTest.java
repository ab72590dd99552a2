package dev.jpyxis.domain.internal.naming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.config.ContainerScope;
import dev.jpyxis.domain.internal.option.ContainerNameRequest;
import dev.jpyxis.domain.internal.option.NameFlag;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("container naming")
class ContainerNamingTest {

    private static final Optional<ContainerNameRequest> DEV = Optional.of(new ContainerNameRequest("dev", NameFlag.EXEC));

    @Test
    @DisplayName("named, global scope: pyxis_NAME, kept")
    void namedGlobal() {
        assertEquals(new ContainerName("pyxis_dev", false), ContainerNaming.forStep(ContainerScope.GLOBAL, 12, 3, DEV));
    }

    @Test
    @DisplayName("named, job scope: pyxis_J_NAME, kept")
    void namedJob() {
        assertEquals(new ContainerName("pyxis_12_dev", false), ContainerNaming.forStep(ContainerScope.JOB, 12, 3, DEV));
    }

    @Test
    @DisplayName("unnamed: pyxis_J.S (global) and pyxis_J_J.S (job), temporary")
    void unnamed() {
        assertEquals(new ContainerName("pyxis_12.3", true),
                ContainerNaming.forStep(ContainerScope.GLOBAL, 12, 3, Optional.empty()));
        assertEquals(new ContainerName("pyxis_12_12.3", true),
                ContainerNaming.forStep(ContainerScope.JOB, 12, 3, Optional.empty()));
    }

    @Test
    @DisplayName("unnamed batch step uses step id 4294967291")
    void batchStep() {
        assertEquals("pyxis_7.4294967291",
                ContainerNaming.forStep(ContainerScope.GLOBAL, 7, 4294967291L, Optional.empty()).value());
        assertEquals("pyxis_7_7.4294967291",
                ContainerNaming.forStep(ContainerScope.JOB, 7, 4294967291L, Optional.empty()).value());
    }

    @Test
    @DisplayName("--container-name=J.S gives exactly the unnamed container's name, in either scope")
    void attachByStepTag() {
        for (ContainerScope scope : ContainerScope.values()) {
            var tag = Optional.of(new ContainerNameRequest("12.3", NameFlag.AUTO));
            assertEquals(ContainerNaming.forStep(scope, 12, 3, Optional.empty()).value(),
                    ContainerNaming.forStep(scope, 12, 5, tag).value());
        }
    }

    @Test
    @DisplayName("temporary names are recognised in both scopes")
    void looksTemporary() {
        assertTrue(ContainerNaming.looksTemporary("pyxis_12.3"));
        assertTrue(ContainerNaming.looksTemporary("pyxis_12_12.3"));
        assertFalse(ContainerNaming.looksTemporary("pyxis_12_13.3"));
        assertFalse(ContainerNaming.looksTemporary("pyxis_dev"));
        assertFalse(ContainerNaming.looksTemporary("pyxis_12.3x"));
    }

    @ParameterizedTest(name = "{0} belongs to job 12")
    @ValueSource(strings = {"pyxis_12_dev", "pyxis_12_12.3", "pyxis_12_a.b_c"})
    void belongsToJob(String name) {
        assertTrue(ContainerNaming.belongsToJob(name, 12));
    }

    @ParameterizedTest(name = "{0} does not belong to job 12")
    @ValueSource(strings = {"pyxis_12_", "pyxis_123_dev", "pyxis_12.3", "pyxis_dev", "xpyxis_12_dev", "pyxis_12_a b",
        "pyxis_1_12_dev"})
    void notTheJobs(String name) {
        assertFalse(ContainerNaming.belongsToJob(name, 12));
    }
}
