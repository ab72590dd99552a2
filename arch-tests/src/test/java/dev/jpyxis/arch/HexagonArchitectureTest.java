package dev.jpyxis.arch;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules hold for the production code of every module. */
class HexagonArchitectureTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.jpyxis");
    }

    @Test
    void domainDependsOnTheJdkOnly() {
        HexagonRules.DOMAIN_DEPENDS_ON_JDK_ONLY.check(production);
    }

    @Test
    void domainDoesNoIo() {
        HexagonRules.DOMAIN_DOES_NO_IO.check(production);
    }

    @Test
    void inPortsAreImplementedByDomainServices() {
        HexagonRules.IN_PORTS_ARE_IMPLEMENTED_BY_DOMAIN_SERVICES.check(production);
    }

    @Test
    void adaptersAreIndependent() {
        HexagonRules.ADAPTERS_ARE_INDEPENDENT.check(production);
    }

    @Test
    void adaptersDoNotKnowTheirWiring() {
        HexagonRules.ADAPTERS_DO_NOT_KNOW_THEIR_WIRING.check(production);
    }

    @Test
    void theSpankSideRunsNoCommands() {
        HexagonRules.SPANK_SIDE_RUNS_NO_COMMANDS.check(production);
    }

    @Test
    void execIsALibrary() {
        HexagonRules.EXEC_IS_A_LIBRARY.check(production);
    }

    @Test
    void simulatorUsesPublicApiAndPorts() {
        HexagonRules.SIMULATOR_USES_PUBLIC_API_AND_PORTS.check(production);
    }

    @Test
    void domainInternalsStayInside() {
        HexagonRules.DOMAIN_INTERNALS_STAY_INSIDE.check(production);
    }
}
