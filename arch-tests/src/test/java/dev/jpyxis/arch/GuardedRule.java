package dev.jpyxis.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.Collection;
import java.util.List;

/**
 * An architecture rule together with the packages it names. A rule about a package passes vacuously once that package
 * is empty or renamed away, so each named package must hold at least one class for the rule to pass.
 */
record GuardedRule(ArchRule rule, List<String> packages) {

    static GuardedRule of(ArchRule rule, String... packages) {
        return new GuardedRule(rule, List.of(packages));
    }

    void check(JavaClasses classes) {
        whole().check(classes);
    }

    EvaluationResult evaluate(JavaClasses classes) {
        return whole().evaluate(classes);
    }

    private ArchRule whole() {
        // an empty selection is reported by the guards below, naming the package
        CompositeArchRule whole = CompositeArchRule.of(rule.allowEmptyShould(true));
        for (String guarded : packages) {
            whole = whole.and(classes().should(holdAClassIn(guarded)).allowEmptyShould(true));
        }
        return whole;
    }

    static String emptyPackageMessage(String guarded) {
        return "no class resides in " + guarded + ": the package is empty or was renamed away";
    }

    private static ArchCondition<JavaClass> holdAClassIn(String guarded) {
        return new ArchCondition<>("include a class in " + guarded) {
            private boolean found;

            @Override
            public void init(Collection<JavaClass> all) {
                found = all.stream().anyMatch(JavaClass.Predicates.resideInAPackage(guarded)::test);
            }

            @Override
            public void check(JavaClass item, ConditionEvents events) {
                // decided over all classes at once in init and finish
            }

            @Override
            public void finish(ConditionEvents events) {
                if (!found) {
                    events.add(SimpleConditionEvent.violated(guarded, emptyPackageMessage(guarded)));
                }
            }
        };
    }
}
