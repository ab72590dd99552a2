package dev.jpyxis.simulator.scenario;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.simulator.node.SimulatedImage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A scenario file: a cluster and what happens on it, in order. */
public record Scenario(String file, String description, Cluster cluster, List<Action> actions) {

    /**
     * @param pluginArguments the arguments after the plugin path on the plugstack line (a readable line); its
     *                   {@code runtime} key picks the runtime the nodes simulate
     * @param images     what the simulated registry serves, by reference
     * @param squashfs   squashfs files present on every node: path to image reference
     * @param files      plain files present on every node: path to content
     * @param users      user name to uid
     * @param squashfuse whether the nodes can start squashfs files in place (squashfuse, a {@code /dev/fuse} users
     *                   may open); true unless the scenario says {@code squashfuse: false}
     * @param nodeFiles  plain files present on one node only: node name to path to content
     * @param slowImports how many seconds an import or load of these references takes (default: no time)
     */
    public record Cluster(List<String> nodes, List<String> pluginArguments, Map<String, SimulatedImage> images,
            Map<String, String> squashfs, Map<String, String> files, Map<String, Long> users, boolean squashfuse,
            Map<String, Map<String, String>> nodeFiles, Map<String, Integer> slowImports) {

        public Cluster {
            pluginArguments = List.copyOf(pluginArguments);
            nodeFiles = Map.copyOf(nodeFiles);
        }

        /** The plugin's configuration, as the domain reads the plugstack line. */
        public PluginConfig plugstack() {
            return PluginConfig.parse(pluginArguments);
        }
    }

    /** One thing that happens. Every action may carry expectations checked right after it. */
    public sealed interface Action {
        int line();

        Expectation expect();

        /**
         * The multi-node e2e case this action plays (docs/simulator.md#checked-against-the-real-cluster), whose
         * record from the real cluster it is compared with; empty for most actions.
         */
        default Optional<String> realCase() {
            return Optional.empty();
        }
    }

    /**
     * {@code srun}: a step, in a new job unless inside salloc/sbatch. A {@code background} step of a salloc keeps its
     * tasks (and so its container) running until the allocation ends.
     */
    public record Srun(int line, String user, String commandLine, Map<String, String> environment,
            List<Fault> faults, boolean background, Expectation expect, String caseName) implements Action {
        @Override
        public Optional<String> realCase() {
            return Optional.ofNullable(caseName);
        }
    }

    /** {@code salloc}: an allocation running the given sruns in order, then ending. */
    public record Salloc(int line, String user, String allocation, List<Srun> steps, Expectation expect,
            String caseName) implements Action {
        @Override
        public Optional<String> realCase() {
            return Optional.ofNullable(caseName);
        }
    }

    /** {@code sbatch}: a batch script ({@code #SBATCH} lines, commands and srun lines), run to its end. */
    public record Sbatch(int line, String user, String script, Map<String, String> environment, Expectation expect,
            String caseName) implements Action {
        @Override
        public Optional<String> realCase() {
            return Optional.ofNullable(caseName);
        }
    }

    /**
     * A node crashes and reboots; with {@code runEmptied}, the reboot empties {@code /run}, where the plugin's
     * {@code runtime_path} (the users' ledgers) lies by default.
     */
    public record CrashNode(int line, String node, boolean runEmptied, Expectation expect) implements Action {

        public CrashNode(int line, String node, Expectation expect) {
            this(line, node, false, expect);
        }
    }

    /** The registry serves other content under a reference from now on, as a push of a new image under a tag does. */
    public record Push(int line, String reference, SimulatedImage image, Expectation expect) implements Action {
    }

    /** Every image in the users' caches on a node is damaged (a disk error, a stray write). */
    public record DamageImageCache(int line, String node, Expectation expect) implements Action {
    }

    /** Only expectations about the state of the cluster. */
    public record Check(int line, Expectation expect) implements Action {
    }

    /**
     * A failure to inject into a step: on every node, or on one ({@code node}); {@code task} for the failures of one
     * task.
     */
    public record Fault(Kind kind, String node, int task) {
        public enum Kind {
            IMPORT_FAILS("import-fails"), CREATE_FAILS("create-fails"), START_FAILS("start-fails"),
            DISK_FULL("disk-full"), CACHE_DISK_FULL("cache-disk-full"),
            TASK_DIES_BEFORE_JOINING("task-dies-before-joining"),
            SLURMSTEPD_KILLED("slurmstepd-killed"), NODE_DIES("node-dies");

            private final String keyword;

            Kind(String keyword) {
                this.keyword = keyword;
            }

            public String keyword() {
                return keyword;
            }
        }
    }

    /**
     * What must hold after an action; every field is optional (null or empty: not checked).
     *
     * @param cachedImages per node, {@code USER REFERENCE} for each image in the users' caches
     */
    public record Expectation(Integer exit, List<String> stderr, List<String> stderrLacks, List<String> stdout,
            List<String> stdoutContains, Map<String, Integer> counts, Boolean sharedNamespace,
            Map<Integer, Map<String, String>> environment, Map<String, List<String>> containers,
            Map<String, List<String>> filesExist, Map<String, List<String>> filesAbsent,
            Map<String, List<String>> cachedImages) {

        public static Expectation none() {
            return new Expectation(null, List.of(), List.of(), null, List.of(), Map.of(), null, Map.of(), Map.of(),
                    Map.of(), Map.of(), Map.of());
        }

        /** Whether nothing is expected. */
        public boolean isEmpty() {
            return equals(none());
        }
    }
}
