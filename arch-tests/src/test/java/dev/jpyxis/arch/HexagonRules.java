package dev.jpyxis.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import java.util.List;

/**
 * The layering of the hexagon: a pure domain in the middle whose in-ports only its services implement, adapters around
 * it that know the domain but not each other, a simulator that uses the domain as any other client would, and one
 * composition root ({@code dist}). See docs/architecture.md.
 */
final class HexagonRules {

    static final String DOMAIN = "dev.jpyxis.domain..";
    static final String DOMAIN_INTERNALS = "dev.jpyxis.domain..internal..";
    static final String IN_PORTS = "dev.jpyxis.domain.port.in..";
    static final String SERVICES = "dev.jpyxis.domain.service..";
    static final String ADAPTERS = "dev.jpyxis.adapters..";
    static final String SPANK_SIDE = "dev.jpyxis.adapters.slurm..";
    static final String EXEC = "dev.jpyxis.exec..";
    static final String SIMULATOR = "dev.jpyxis.simulator..";
    static final String DIST = "dev.jpyxis.dist..";

    private HexagonRules() {
    }

    /** The domain is plain Java: it depends on the JDK and on itself, nothing else. */
    static final GuardedRule DOMAIN_DEPENDS_ON_JDK_ONLY = GuardedRule.of(classes().that().resideInAPackage(DOMAIN)
            .should().onlyDependOnClassesThat().resideInAnyPackage(DOMAIN, "java..")
            .because("the domain is the pure core of the hexagon"), DOMAIN);

    /** The domain touches no file, process, network, environment or clock: ports do that. */
    static final GuardedRule DOMAIN_DOES_NO_IO = GuardedRule.of(noClasses().that().resideInAPackage(DOMAIN)
            .should().dependOnClassesThat(ioClasses())
            .orShould().accessTargetWhere(impureCalls())
            .because("I/O, processes, the environment and the clock belong behind ports"), DOMAIN);

    /** Each in-port has one implementation, a domain service: no driver runs a use case of its own. */
    static final GuardedRule IN_PORTS_ARE_IMPLEMENTED_BY_DOMAIN_SERVICES = GuardedRule.of(classes()
            .that().implement(JavaClass.Predicates.resideInAPackage(IN_PORTS))
            .and().resideOutsideOfPackage(IN_PORTS)
            .should().resideInAPackage(SERVICES)
            .because("the engine and the simulator must drive the same use cases, not copies of them")
            .allowEmptyShould(true), IN_PORTS, SERVICES);

    /** No adapter knows another adapter. */
    static final GuardedRule ADAPTERS_ARE_INDEPENDENT = GuardedRule.of(slices().matching("dev.jpyxis.adapters.(*)..")
            .should().notDependOnEachOther()
            .because("each adapter plugs into the domain's ports on its own"), ADAPTERS);

    /** Adapters do not reach into the simulator or the composition root. */
    static final GuardedRule ADAPTERS_DO_NOT_KNOW_THEIR_WIRING = GuardedRule.of(noClasses().that()
            .resideInAPackage(ADAPTERS).should().dependOnClassesThat().resideInAnyPackage(SIMULATOR, DIST)
            .allowEmptyShould(true), ADAPTERS, SIMULATOR, DIST);

    /** The SPANK side translates Slurm's hooks; commands on the node are the Linux and runtime adapters' business. */
    static final GuardedRule SPANK_SIDE_RUNS_NO_COMMANDS = GuardedRule.of(noClasses().that()
            .resideInAPackage(SPANK_SIDE).should().dependOnClassesThat().resideInAPackage(EXEC)
            .because("adapters-slurm holds the shim, the protocol and the engine server only"), SPANK_SIDE, EXEC);

    /** {@code exec} is a library the adapters share: it knows the domain's values, but no adapter and no driver. */
    static final GuardedRule EXEC_IS_A_LIBRARY = GuardedRule.of(noClasses().that().resideInAPackage(EXEC)
            .should().dependOnClassesThat().resideInAnyPackage(ADAPTERS, SIMULATOR, DIST),
            EXEC, ADAPTERS, SIMULATOR, DIST);

    /** The simulator uses the domain's public API and ports, never its internals, and no real adapter. */
    static final GuardedRule SIMULATOR_USES_PUBLIC_API_AND_PORTS = GuardedRule.of(noClasses().that()
            .resideInAPackage(SIMULATOR).should().dependOnClassesThat()
            .resideInAnyPackage(DOMAIN_INTERNALS, ADAPTERS, DIST)
            .because("the simulator must exercise the same decisions as production, through the same doors")
            .allowEmptyShould(true), SIMULATOR, DOMAIN_INTERNALS, ADAPTERS, DIST);

    /** Outside the domain, nobody depends on domain internals. */
    static final GuardedRule DOMAIN_INTERNALS_STAY_INSIDE = GuardedRule.of(noClasses().that()
            .resideOutsideOfPackage(DOMAIN).should().dependOnClassesThat().resideInAPackage(DOMAIN_INTERNALS),
            DOMAIN, DOMAIN_INTERNALS);

    static final List<GuardedRule> ALL = List.of(DOMAIN_DEPENDS_ON_JDK_ONLY, DOMAIN_DOES_NO_IO,
            IN_PORTS_ARE_IMPLEMENTED_BY_DOMAIN_SERVICES, ADAPTERS_ARE_INDEPENDENT, ADAPTERS_DO_NOT_KNOW_THEIR_WIRING,
            SPANK_SIDE_RUNS_NO_COMMANDS, EXEC_IS_A_LIBRARY, SIMULATOR_USES_PUBLIC_API_AND_PORTS,
            DOMAIN_INTERNALS_STAY_INSIDE);

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
