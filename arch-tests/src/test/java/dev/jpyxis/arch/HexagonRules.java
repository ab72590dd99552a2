package dev.jpyxis.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The layering of the hexagon: a pure domain in the middle, adapters around it that know the domain but not each
 * other, a simulator that uses the domain as any other client would, and one composition root ({@code dist}).
 */
final class HexagonRules {

    static final String DOMAIN = "dev.jpyxis.domain..";
    static final String DOMAIN_INTERNALS = "dev.jpyxis.domain..internal..";
    static final String ADAPTERS = "dev.jpyxis.adapters..";
    static final String SIMULATOR = "dev.jpyxis.simulator..";
    static final String DIST = "dev.jpyxis.dist..";

    private HexagonRules() {
    }

    /** The domain is plain Java: it depends on the JDK and on itself, nothing else. */
    static final ArchRule DOMAIN_DEPENDS_ON_JDK_ONLY = classes().that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage(DOMAIN, "java..")
            .because("the domain is the pure core of the hexagon");

    /** The domain touches no file, process, network, environment or clock: ports do that. */
    static final ArchRule DOMAIN_DOES_NO_IO = noClasses().that().resideInAPackage(DOMAIN)
            .should().dependOnClassesThat(ioClasses())
            .orShould().accessTargetWhere(impureCalls())
            .because("I/O, processes, the environment and the clock belong behind ports");

    /** No adapter knows another adapter. */
    static final ArchRule ADAPTERS_ARE_INDEPENDENT = slices().matching("dev.jpyxis.adapters.(*)..")
            .should().notDependOnEachOther()
            .because("each adapter plugs into the domain's ports on its own");

    /** Adapters do not reach into the simulator or the composition root. */
    static final ArchRule ADAPTERS_DO_NOT_KNOW_THEIR_WIRING = noClasses().that().resideInAPackage(ADAPTERS)
            .should().dependOnClassesThat().resideInAnyPackage(SIMULATOR, DIST)
            .allowEmptyShould(true);

    /** The simulator uses the domain's public API and ports, never its internals, and no real adapter. */
    static final ArchRule SIMULATOR_USES_PUBLIC_API_AND_PORTS = noClasses().that().resideInAPackage(SIMULATOR)
            .should().dependOnClassesThat().resideInAnyPackage(DOMAIN_INTERNALS, ADAPTERS, DIST)
            .because("the simulator must exercise the same decisions as production, through the same doors")
            .allowEmptyShould(true);

    /** Outside the domain, nobody depends on domain internals. */
    static final ArchRule DOMAIN_INTERNALS_STAY_INSIDE = noClasses().that().resideOutsideOfPackage(DOMAIN)
            .should().dependOnClassesThat().resideInAPackage(DOMAIN_INTERNALS);

    private static DescribedPredicate<JavaClass> ioClasses() {
        return DescribedPredicate.describe("do I/O (files, channels, sockets, processes)", type -> {
            String name = type.getName();
            return name.equals("java.io.File") || name.startsWith("java.io.File") // File, FileInputStream, ...
                    || name.equals("java.io.RandomAccessFile")
                    || name.startsWith("java.nio.file.") || name.startsWith("java.nio.channels.")
                    || name.startsWith("java.net.")
                    || name.equals("java.lang.ProcessBuilder") || name.equals("java.lang.Process")
                    || name.equals("java.lang.ProcessHandle") || name.equals("java.lang.Runtime")
                    || name.equals("java.time.Clock");
        });
    }

    private static DescribedPredicate<JavaAccess<?>> impureCalls() {
        return DescribedPredicate.describe("read the environment, system properties or the clock, or print", access -> {
            String owner = access.getTargetOwner().getName();
            String member = access.getTarget().getName();
            if (owner.equals("java.lang.System")) {
                return switch (member) {
                    case "getenv", "getProperty", "getProperties", "currentTimeMillis", "nanoTime", "exit",
                            "out", "err", "in", "setOut", "setErr", "setIn", "console", "load", "loadLibrary" -> true;
                    default -> false;
                };
            }
            if (member.equals("now") && owner.startsWith("java.time.")) {
                return true;
            }
            return owner.equals("java.lang.Thread") && member.equals("sleep");
        });
    }
}
