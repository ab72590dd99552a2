package dev.jpyxis.simulator.scenario;

import dev.jpyxis.domain.config.InvalidConfigurationException;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.simulator.node.SimulatedImage;
import dev.jpyxis.simulator.scenario.Scenario.Action;
import dev.jpyxis.simulator.scenario.Scenario.Expectation;
import dev.jpyxis.simulator.scenario.Scenario.Fault;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * Reads scenario YAML into a {@link Scenario}, node by node, so that every mistake is reported with the file, the line
 * and what was expected there. See docs/simulator.md for the format.
 */
public final class ScenarioLoader {

    private static final Set<String> ACTION_KEYS = Set.of("srun", "salloc", "sbatch", "crash-node", "push",
            "damage-image-cache", "check");

    /** The largest scenario text read (a scenario is a page or two of YAML). */
    public static final int MAX_CHARACTERS = 1 << 20;
    /** The most nodes a simulated cluster may have: a scenario describes a situation, not a site. */
    public static final int MAX_NODES = 256;

    private final String file;

    private ScenarioLoader(String file) {
        this.file = file;
    }

    public static Scenario load(String file, String text) {
        return new ScenarioLoader(file).scenario(text);
    }

    private Scenario scenario(String text) {
        if (text.length() > MAX_CHARACTERS) {
            throw new ScenarioException(file, 1, "the file is larger than " + MAX_CHARACTERS / 1024 + " KiB");
        }
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder().setLabel(file).build();
            Composer composer = new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)));
            root = composer.getSingleNode().orElseThrow(() -> new ScenarioException(file, 1, "the file is empty"));
        } catch (MarkedYamlEngineException broken) {
            int line = broken.getProblemMark().map(mark -> mark.getLine() + 1).orElse(1);
            throw new ScenarioException(file, line, "not valid YAML: " + broken.getProblem());
        } catch (YamlEngineException broken) {
            // e.g. a control character: the reader says where in its message, not in a mark
            throw new ScenarioException(file, 1, "not valid YAML: " + broken.getMessage().lines().findFirst()
                    .orElse("unreadable"));
        } catch (StackOverflowError deep) {
            throw new ScenarioException(file, 1, "not valid YAML: nested too deeply");
        }
        Map<String, Node> top = mapping(root, "the scenario (a mapping with cluster and actions)",
                Set.of("description", "cluster", "actions"));
        String description = top.containsKey("description") ? scalar(top.get("description"), "a description") : "";
        Scenario.Cluster cluster = cluster(required(top, "cluster", root));
        List<Action> actions = new ArrayList<>();
        Node actionList = required(top, "actions", root);
        for (Node item : sequence(actionList, "a list of actions")) {
            actions.add(action(item, cluster));
        }
        if (actions.isEmpty()) {
            throw error(actionList, "at least one action");
        }
        boolean expects = actions.stream().anyMatch(action -> !action.expect().isEmpty()
                || action instanceof Scenario.Salloc salloc && salloc.steps().stream()
                        .anyMatch(step -> !step.expect().isEmpty()));
        if (!expects) {
            throw error(actionList, "an expectation (expect:) under at least one action: a scenario that expects"
                    + " nothing cannot fail");
        }
        return new Scenario(file, description, cluster, actions);
    }

    private Scenario.Cluster cluster(Node node) {
        Map<String, Node> fields = mapping(node, "the cluster", Set.of("nodes", "plugstack", "images",
                "squashfs", "files", "users", "squashfuse", "node_files", "slow_imports"));
        List<String> nodes = new ArrayList<>();
        Node nodesNode = required(fields, "nodes", node);
        if (nodesNode instanceof ScalarNode) {
            int count = integer(nodesNode, "a node count or a list of node names");
            if (count > MAX_NODES) {
                throw error(nodesNode, "at most " + MAX_NODES + " nodes");
            }
            for (int i = 1; i <= count; i++) {
                nodes.add("node" + i);
            }
        } else {
            for (Node name : sequence(nodesNode, "a node count or a list of node names")) {
                nodes.add(scalar(name, "a node name"));
            }
        }
        if (nodes.isEmpty()) {
            throw error(nodesNode, "at least one node");
        }
        if (nodes.size() > MAX_NODES) {
            throw error(nodesNode, "at most " + MAX_NODES + " nodes");
        }
        List<String> pluginArguments = List.of();
        if (fields.containsKey("plugstack")) {
            String line = scalar(fields.get("plugstack"), "plugstack arguments (KEY=VALUE ...)").strip();
            pluginArguments = line.isEmpty() ? List.of() : List.of(line.split("\\s+"));
            try {
                PluginConfig.parse(pluginArguments);
            } catch (InvalidConfigurationException bad) {
                throw new ScenarioException(file, line(fields.get("plugstack")), "expected a valid plugstack line: "
                        + bad.getMessage());
            }
        }
        Map<String, SimulatedImage> images = new LinkedHashMap<>();
        if (fields.containsKey("images")) {
            for (var image : mapping(fields.get("images"), "images by reference", null).entrySet()) {
                images.put(image.getKey(), image(image.getValue()));
            }
        }
        Map<String, String> squashfs = strings(fields.get("squashfs"), "squashfs files: path to image reference");
        for (var entry : squashfs.entrySet()) {
            if (!images.containsKey(entry.getValue())) {
                throw error(fields.get("squashfs"), "squashfs file " + entry.getKey() + " names image '"
                        + entry.getValue() + "', which is not under images");
            }
        }
        Map<String, Long> users = new LinkedHashMap<>();
        strings(fields.get("users"), "users: name to uid").forEach((name, uid) -> {
            try {
                users.put(name, Long.parseLong(uid));
            } catch (NumberFormatException e) {
                throw error(fields.get("users"), "a numeric uid for user " + name);
            }
        });
        if (users.isEmpty()) {
            users.put("alice", 1000L);
        }
        boolean squashfuse = !fields.containsKey("squashfuse") || bool(fields.get("squashfuse"));
        Map<String, Map<String, String>> nodeFiles = new LinkedHashMap<>();
        if (fields.containsKey("node_files")) {
            for (var entry : mapping(fields.get("node_files"), "node name to files", null).entrySet()) {
                if (!nodes.contains(entry.getKey())) {
                    throw error(fields.get("node_files"), "a node of the cluster, not '" + entry.getKey() + "'");
                }
                nodeFiles.put(entry.getKey(), strings(entry.getValue(), "files: path to content"));
            }
        }
        Map<String, Integer> slowImports = new LinkedHashMap<>();
        if (fields.containsKey("slow_imports")) {
            for (var slow : mapping(fields.get("slow_imports"), "slow imports: image reference to seconds", null)
                    .entrySet()) {
                if (!images.containsKey(slow.getKey())) {
                    throw error(fields.get("slow_imports"), "slow import of '" + slow.getKey()
                            + "', which is not under images");
                }
                slowImports.put(slow.getKey(), integer(slow.getValue(), "a number of seconds"));
            }
        }
        return new Scenario.Cluster(nodes, pluginArguments, images, squashfs,
                strings(fields.get("files"), "files: path to content"), users, squashfuse, nodeFiles, slowImports);
    }

    private SimulatedImage image(Node node) {
        Map<String, Node> fields = mapping(node, "an image (files, env, workdir, entrypoint_env, entrypoint_output)",
                Set.of("files", "env", "workdir", "entrypoint_env", "entrypoint_output"));
        List<String> output = new ArrayList<>();
        if (fields.containsKey("entrypoint_output")) {
            for (Node line : sequence(fields.get("entrypoint_output"), "lines")) {
                output.add(scalar(line, "a line"));
            }
        }
        Map<String, String> files = strings(fields.get("files"), "files: path to content");
        files.putIfAbsent("/etc/os-release", "ID=simulated\n");
        Map<String, String> env = strings(fields.get("env"), "environment: name to value");
        env.putIfAbsent("PATH", "/usr/local/bin:/usr/bin:/bin");
        return new SimulatedImage(files, env, fields.containsKey("workdir")
                ? scalar(fields.get("workdir"), "a working directory") : "/",
                strings(fields.get("entrypoint_env"), "environment: name to value"), output);
    }

    private Action action(Node node, Scenario.Cluster cluster) {
        Map<String, Node> fields = mapping(node, "an action (srun, salloc, sbatch, crash-node, push, "
                + "damage-image-cache or check)", null);
        List<String> kinds = fields.keySet().stream().filter(ACTION_KEYS::contains).toList();
        if (kinds.size() != 1) {
            throw error(node, "exactly one of srun, salloc, sbatch, crash-node, push, damage-image-cache, check");
        }
        String kind = kinds.get(0);
        int line = line(node);
        Expectation expect = fields.containsKey("expect") ? expectation(fields.get("expect")) : Expectation.none();
        String user = fields.containsKey("user") ? scalar(fields.get("user"), "a user") : cluster.users().keySet()
                .iterator().next();
        if (!cluster.users().containsKey(user)) {
            throw error(fields.get("user"), "a user listed under cluster.users, not '" + user + "'");
        }
        Set<String> allowed = switch (kind) {
            case "srun" -> Set.of("srun", "user", "env", "faults", "expect", "case");
            case "salloc" -> Set.of("salloc", "user", "steps", "expect", "case");
            case "sbatch" -> Set.of("sbatch", "user", "env", "expect", "case");
            case "crash-node" -> Set.of("crash-node", "run-emptied", "expect");
            case "push" -> Set.of("push", "image", "expect");
            case "damage-image-cache" -> Set.of("damage-image-cache", "expect");
            default -> Set.of("check", "expect");
        };
        for (var key : fields.keySet()) {
            if (!allowed.contains(key)) {
                throw new ScenarioException(file, line(fields.get(key)), "unknown key '" + key + "' for " + kind + " (allowed: " + String.join(", ",
                        allowed.stream().sorted().toList()) + ")");
            }
        }
        return switch (kind) {
            case "srun" -> srun(fields, user, line, expect, cluster);
            case "salloc" -> {
                List<Scenario.Srun> steps = new ArrayList<>();
                for (Node step : sequence(required(fields, "steps", node), "a list of srun command lines")) {
                    if (step instanceof ScalarNode) {
                        steps.add(new Scenario.Srun(line(step), user, scalar(step, "an srun command line"), Map.of(),
                                List.of(), false, Expectation.none(), null));
                    } else {
                        Map<String, Node> stepFields = mapping(step, "a step (srun, env, faults, background, expect)",
                                Set.of("srun", "env", "faults", "background", "expect"));
                        steps.add(srun(stepFields, user, line(step), stepFields.containsKey("expect")
                                ? expectation(stepFields.get("expect")) : Expectation.none(), cluster));
                    }
                }
                yield new Scenario.Salloc(line, user, scalar(fields.get("salloc"), "salloc options"), steps, expect,
                        caseName(fields));
            }
            case "sbatch" -> new Scenario.Sbatch(line, user, scalar(fields.get("sbatch"), "a batch script"),
                    strings(fields.get("env"), "environment: name to value"), expect, caseName(fields));
            case "crash-node" -> new Scenario.CrashNode(line, nodeName(fields.get("crash-node"), cluster),
                    fields.containsKey("run-emptied") && bool(fields.get("run-emptied")), expect);
            case "push" -> new Scenario.Push(line, scalar(fields.get("push"), "an image reference"),
                    image(required(fields, "image", node)), expect);
            case "damage-image-cache" -> new Scenario.DamageImageCache(line,
                    nodeName(fields.get("damage-image-cache"), cluster), expect);
            default -> new Scenario.Check(line, expect);
        };
    }

    private String nodeName(Node node, Scenario.Cluster cluster) {
        String name = scalar(node, "a node name");
        if (!cluster.nodes().contains(name)) {
            throw error(node, "a node of the cluster, not '" + name + "'");
        }
        return name;
    }

    private Scenario.Srun srun(Map<String, Node> fields, String user, int line, Expectation expect,
            Scenario.Cluster cluster) {
        List<Fault> faults = new ArrayList<>();
        if (fields.containsKey("faults")) {
            for (Node fault : sequence(fields.get("faults"), "a list of faults")) {
                faults.add(fault(fault, cluster));
            }
        }
        boolean background = fields.containsKey("background") && bool(fields.get("background"));
        return new Scenario.Srun(line, user, scalar(required(fields, "srun", null), "an srun command line"),
                strings(fields.get("env"), "environment: name to value"), faults, background, expect,
                caseName(fields));
    }

    /** The e2e case an action plays ({@code case: NAME}), or null. */
    private String caseName(Map<String, Node> fields) {
        if (!fields.containsKey("case")) {
            return null;
        }
        String name = scalar(fields.get("case"), "the name of a multi-node e2e case");
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9-]*")) {
            throw error(fields.get("case"), "a case name of letters, digits and '-', not '" + name + "'");
        }
        return name;
    }

    /** {@code kind}, {@code kind@node}, or {@code task-dies-before-joining:TASK[@node]}. */
    private Fault fault(Node node, Scenario.Cluster cluster) {
        String text = scalar(node, "a fault");
        String where = null;
        int at = text.indexOf('@');
        if (at >= 0) {
            where = text.substring(at + 1);
            text = text.substring(0, at);
            if (!cluster.nodes().contains(where)) {
                throw error(node, "a node of the cluster after @, not '" + where + "'");
            }
        }
        int task = -1;
        int colon = text.indexOf(':');
        if (colon >= 0) {
            try {
                task = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw error(node, "a task number after ':'");
            }
            text = text.substring(0, colon);
        }
        for (Fault.Kind kind : Fault.Kind.values()) {
            if (kind.keyword().equals(text)) {
                if (kind == Fault.Kind.NODE_DIES && where == null) {
                    throw error(node, "node-dies@NODE: the node that dies");
                }
                if ((kind == Fault.Kind.TASK_DIES_BEFORE_JOINING) != (task >= 0)) {
                    throw error(node, kind == Fault.Kind.TASK_DIES_BEFORE_JOINING
                            ? "task-dies-before-joining:TASK" : kind.keyword() + " without a task number");
                }
                return new Fault(kind, where, task);
            }
        }
        throw error(node, "a fault: import-fails, create-fails, start-fails, disk-full, cache-disk-full, "
                + "task-dies-before-joining:TASK, slurmstepd-killed (optionally @NODE), node-dies@NODE; not '" + text
                + "'");
    }

    private Expectation expectation(Node node) {
        Map<String, Node> fields = mapping(node, "expectations", Set.of("exit", "stderr", "stderr_lacks", "stdout",
                "stdout_contains", "counts", "shared_namespace", "env", "containers", "files_exist",
                "files_absent", "cached_images"));
        Map<Integer, Map<String, String>> env = new LinkedHashMap<>();
        if (fields.containsKey("env")) {
            for (var task : mapping(fields.get("env"), "task number to environment", null).entrySet()) {
                try {
                    env.put(Integer.parseInt(task.getKey()), strings(task.getValue(), "environment: name to value"));
                } catch (NumberFormatException e) {
                    throw error(fields.get("env"), "a task number, not '" + task.getKey() + "'");
                }
            }
        }
        Map<String, Integer> counts = new LinkedHashMap<>();
        strings(fields.get("counts"), "counts: command to number").forEach((k, v) -> {
            try {
                counts.put(k, Integer.parseInt(v));
            } catch (NumberFormatException e) {
                throw error(fields.get("counts"), "a number of " + k);
            }
        });
        return new Expectation(fields.containsKey("exit") ? integer(fields.get("exit"), "an exit status") : null,
                list(fields.get("stderr")), list(fields.get("stderr_lacks")),
                fields.containsKey("stdout") ? list(fields.get("stdout")) : null, list(fields.get("stdout_contains")),
                counts, fields.containsKey("shared_namespace")
                        ? Boolean.valueOf(bool(fields.get("shared_namespace"))) : null,
                env, lists(fields.get("containers")), lists(fields.get("files_exist")),
                lists(fields.get("files_absent")), lists(fields.get("cached_images")));
    }

    // ---- typed access to YAML nodes

    private Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
        if (!(node instanceof MappingNode map)) {
            throw error(node, what);
        }
        Map<String, Node> fields = new LinkedHashMap<>();
        for (NodeTuple tuple : map.getValue()) {
            String key = scalar(tuple.getKeyNode(), "a key");
            if (allowed != null && !allowed.contains(key)) {
                throw error(tuple.getKeyNode(), "one of " + String.join(", ", allowed.stream().sorted().toList())
                        + " in " + what + ", not '" + key + "'");
            }
            if (fields.put(key, tuple.getValueNode()) != null) {
                throw error(tuple.getKeyNode(), "'" + key + "' only once");
            }
        }
        return fields;
    }

    private List<Node> sequence(Node node, String what) {
        if (!(node instanceof SequenceNode list)) {
            throw error(node, what);
        }
        return list.getValue();
    }

    private String scalar(Node node, String what) {
        if (!(node instanceof ScalarNode value)) {
            throw error(node, what);
        }
        return value.getValue();
    }

    private int integer(Node node, String what) {
        try {
            return Integer.parseInt(scalar(node, what));
        } catch (NumberFormatException e) {
            throw error(node, what);
        }
    }

    private boolean bool(Node node) {
        String text = scalar(node, "true or false");
        if (!text.equals("true") && !text.equals("false")) {
            throw error(node, "true or false");
        }
        return text.equals("true");
    }

    private List<String> list(Node node) {
        if (node == null) {
            return List.of();
        }
        if (node instanceof ScalarNode) {
            return List.of(scalar(node, "text"));
        }
        return sequence(node, "a list of lines").stream().map(item -> scalar(item, "a line")).toList();
    }

    private Map<String, List<String>> lists(Node node) {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        if (node != null) {
            mapping(node, "node name to list", null).forEach((key, value) -> lists.put(key, list(value)));
        }
        return lists;
    }

    private Map<String, String> strings(Node node, String what) {
        Map<String, String> strings = new LinkedHashMap<>();
        if (node != null) {
            mapping(node, what, null).forEach((key, value) -> strings.put(key, scalar(value, what)));
        }
        return strings;
    }

    private Node required(Map<String, Node> fields, String key, Node parent) {
        Node value = fields.get(key);
        if (value == null) {
            throw new ScenarioException(file, parent == null ? 1 : line(parent), "'" + key + "' is missing");
        }
        return value;
    }

    private ScenarioException error(Node node, String expected) {
        return new ScenarioException(file, line(node), "expected " + expected);
    }

    private static int line(Node node) {
        return node == null ? 1 : node.getStartMark().map(mark -> mark.getLine() + 1).orElse(1);
    }

}
