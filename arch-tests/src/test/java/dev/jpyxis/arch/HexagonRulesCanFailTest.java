package dev.jpyxis.arch;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.jpyxis.adapters.enroot.archfixture.AdapterImplementingAnInPort;
import dev.jpyxis.adapters.enroot.archfixture.EnrootAdapterUsingSlurmAdapter;
import dev.jpyxis.adapters.slurm.archfixture.SpankSideRunningACommand;
import dev.jpyxis.domain.archfixture.DomainClassPrinting;
import dev.jpyxis.domain.archfixture.DomainClassReadingTheClock;
import dev.jpyxis.domain.archfixture.DomainClassReadingTheEnvironment;
import dev.jpyxis.domain.archfixture.DomainClassStartingAProcess;
import dev.jpyxis.domain.archfixture.DomainClassUsingAnAdapter;
import dev.jpyxis.domain.archfixture.DomainClassUsingFilesApi;
import dev.jpyxis.domain.archfixture.DomainClassUsingJavaIoFile;
import dev.jpyxis.exec.archfixture.ExecUsingAnAdapter;
import dev.jpyxis.simulator.archfixture.SimulatorUsingDomainInternals;
import dev.jpyxis.simulator.archfixture.SimulatorUsingTheEnrootAdapter;
import org.junit.jupiter.api.Test;

/** Each rule reports a violation for a deliberately bad fixture class, so a passing rule means something. */
class HexagonRulesCanFailTest {

    private static void assertViolates(GuardedRule rule, Class<?> badClass) {
        JavaClasses classes = new ClassFileImporter().importClasses(badClass);
        EvaluationResult result = rule.evaluate(classes);
        assertTrue(result.hasViolation(), "expected a violation by " + badClass.getSimpleName());
        String report = result.getFailureReport().toString();
        assertTrue(report.contains(badClass.getSimpleName()), report);
    }

    @Test
    void javaIoFileInTheDomainIsRefused() {
        assertViolates(HexagonRules.DOMAIN_DOES_NO_IO, DomainClassUsingJavaIoFile.class);
    }

    @Test
    void filesApiInTheDomainIsRefused() {
        assertViolates(HexagonRules.DOMAIN_DOES_NO_IO, DomainClassUsingFilesApi.class);
    }

    @Test
    void processBuilderInTheDomainIsRefused() {
        assertViolates(HexagonRules.DOMAIN_DOES_NO_IO, DomainClassStartingAProcess.class);
    }

    @Test
    void environmentInTheDomainIsRefused() {
        assertViolates(HexagonRules.DOMAIN_DOES_NO_IO, DomainClassReadingTheEnvironment.class);
    }

    @Test
    void wallClockInTheDomainIsRefused() {
        assertViolates(HexagonRules.DOMAIN_DOES_NO_IO, DomainClassReadingTheClock.class);
    }

    @Test
    void printingFromTheDomainIsRefused() {
        assertViolates(HexagonRules.DOMAIN_DOES_NO_IO, DomainClassPrinting.class);
    }

    @Test
    void domainDependingOnAnAdapterIsRefused() {
        assertViolates(HexagonRules.DOMAIN_DEPENDS_ON_JDK_ONLY, DomainClassUsingAnAdapter.class);
    }

    @Test
    void adapterDependingOnAnotherAdapterIsRefused() {
        JavaClasses classes = new ClassFileImporter().importClasses(EnrootAdapterUsingSlurmAdapter.class,
                dev.jpyxis.adapters.slurm.shim.SpankOptionTable.class);
        EvaluationResult result = HexagonRules.ADAPTERS_ARE_INDEPENDENT.evaluate(classes);
        assertTrue(result.hasViolation());
        assertTrue(result.getFailureReport().toString().contains("EnrootAdapterUsingSlurmAdapter"));
    }

    @Test
    void simulatorUsingDomainInternalsIsRefused() {
        assertViolates(HexagonRules.SIMULATOR_USES_PUBLIC_API_AND_PORTS, SimulatorUsingDomainInternals.class);
        assertViolates(HexagonRules.DOMAIN_INTERNALS_STAY_INSIDE, SimulatorUsingDomainInternals.class);
    }

    @Test
    void simulatorUsingARealAdapterIsRefused() {
        assertViolates(HexagonRules.SIMULATOR_USES_PUBLIC_API_AND_PORTS, SimulatorUsingTheEnrootAdapter.class);
    }

    @Test
    void anAdapterImplementingAnInPortIsRefused() {
        assertViolates(HexagonRules.IN_PORTS_ARE_IMPLEMENTED_BY_DOMAIN_SERVICES, AdapterImplementingAnInPort.class);
    }

    @Test
    void theSpankSideRunningACommandIsRefused() {
        assertViolates(HexagonRules.SPANK_SIDE_RUNS_NO_COMMANDS, SpankSideRunningACommand.class);
    }

    @Test
    void execDependingOnAnAdapterIsRefused() {
        assertViolates(HexagonRules.EXEC_IS_A_LIBRARY, ExecUsingAnAdapter.class);
    }
}
