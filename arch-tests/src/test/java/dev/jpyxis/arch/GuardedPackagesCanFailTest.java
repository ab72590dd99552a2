package dev.jpyxis.arch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Each rule fails once a package it names is empty or renamed away: the production classes without that package stand
 * for the renamed code, and the rule must report the package rather than pass vacuously.
 */
class GuardedPackagesCanFailTest {

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.jpyxis");
    }

    @Test
    void everyRuleNamesThePackagesItGuards() {
        HexagonRules.ALL.forEach(rule -> assertFalse(rule.packages().isEmpty(), rule.rule().getDescription()));
    }

    @TestFactory
    Stream<DynamicTest> aRuleFailsWhenAPackageItNamesIsGone() {
        return HexagonRules.ALL.stream().flatMap(rule -> rule.packages().stream().map(guarded -> DynamicTest
                .dynamicTest(guarded + " gone: " + rule.rule().getDescription(), () -> {
                    JavaClasses renamedAway = production.that(DescribedPredicate.not(
                            JavaClass.Predicates.resideInAPackage(guarded)));
                    EvaluationResult result = rule.evaluate(renamedAway);
                    assertTrue(result.hasViolation(), "the rule passed without " + guarded);
                    String report = result.getFailureReport().toString();
                    assertTrue(report.contains(GuardedRule.emptyPackageMessage(guarded)), report);
                })));
    }
}
