package dev.jpyxis.simulator.slurm;

import dev.jpyxis.domain.client.ClientCommandLine;
import dev.jpyxis.domain.client.RefusedCommandLineException;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.port.in.SubmitCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The part of an srun (or salloc, or {@code #SBATCH}) command line the simulator understands, read as the client reads
 * it: node and task counts, node list, and the container options, in order; the client's other options are read and
 * ignored, and the command follows.
 */
record SrunLine(SubmitCommand client, Integer nodes, Integer tasks, Integer tasksPerNode, List<String> nodeList, List<OptionUse> options,
        List<String> command) {

    /** A command line the client itself refuses, with the lines it prints. */
    /** The most tasks a simulated step runs, as if each node had the CPUs for a few thousand; Slurm refuses more. */
    static final int MAX_TASKS = 4096;

    static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final List<String> lines;

        RefusedException(List<String> lines) {
            super(String.join("\n", lines));
            this.lines = List.copyOf(lines);
        }

        List<String> lines() {
            return lines;
        }
    }

    /**
     * @param clusterNodes      the names {@code -w} may use
     * @param containerOptions  whether the plugin registered its options with this client (not with sbatch and
     *                          salloc when {@code sbatch_support} is false)
     * @throws RefusedException for what the client refuses: an option it does not know, a bad number, an unknown node
     */
    static SrunLine parse(SubmitCommand client, List<String> words, Set<String> clusterNodes,
            boolean containerOptions) {
        try {
            return of(ClientCommandLine.read(client, words, containerOptions), clusterNodes);
        } catch (RefusedCommandLineException refused) {
            throw new RefusedException(refused.lines());
        }
    }

    /** The part of a command line read by the client (or of a batch script's directives) the simulator uses. */
    static SrunLine of(ClientCommandLine line, Set<String> clusterNodes) {
        String client = line.client().command();
        Integer nodes = line.last("nodes").map(given -> number(client, given.argument())).orElse(null);
        Integer tasks = line.last("ntasks").map(given -> number(client, given.argument())).orElse(null);
        Integer perNode = line.last("ntasks-per-node").map(given -> number(client, given.argument())).orElse(null);
        List<String> nodeList = line.last("nodelist").map(given -> hostnames(given.argument())).orElse(List.of());
        if (!clusterNodes.containsAll(nodeList)) {
            throw new RefusedException(List.of(client + ": error: Unable to allocate resources: Invalid node name"
                    + " specified"));
        }
        return new SrunLine(line.client(), nodes, tasks, perNode, nodeList, line.containerOptions(), line.operands());
    }

    /**
     * This step's line inside an allocation: what it does not say about nodes and tasks comes from the allocation, as
     * srun reads the {@code SLURM_NNODES}, {@code SLURM_NTASKS} and {@code SLURM_NTASKS_PER_NODE} the allocation
     * exported.
     */
    SrunLine within(SrunLine allocation) {
        return new SrunLine(client, nodes != null ? nodes : allocation.nodes, tasks != null ? tasks : allocation.tasks,
                tasksPerNode != null ? tasksPerNode : allocation.tasksPerNode, nodeList, options, command);
    }

    /** A Slurm host list as {@code -w} takes it: {@code node1,node3}, {@code node[1-2]}, {@code node[1,3-4]}. */
    static List<String> hostnames(String list) {
        List<String> names = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i <= list.length(); i++) {
            char c = i < list.length() ? list.charAt(i) : ',';
            depth += c == '[' ? 1 : c == ']' ? -1 : 0;
            if (c == ',' && depth == 0) {
                names.addAll(expanded(list.substring(start, i)));
                start = i + 1;
            }
        }
        return names;
    }

    private static List<String> expanded(String host) {
        int open = host.indexOf('[');
        int close = host.indexOf(']');
        if (open < 0 || close < open) {
            return List.of(host);
        }
        List<String> names = new ArrayList<>();
        for (String range : host.substring(open + 1, close).split(",")) {
            String[] ends = range.split("-", 2);
            try {
                int first = Integer.parseInt(ends[0]);
                int last = ends.length == 2 ? Integer.parseInt(ends[1]) : first;
                for (int n = first; n <= last; n++) {
                    names.add(host.substring(0, open) + String.format("%0" + ends[0].length() + "d", n)
                            + host.substring(close + 1));
                }
            } catch (NumberFormatException notARange) {
                return List.of(host);
            }
        }
        return names;
    }

    private static int number(String client, String text) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new RefusedException(List.of(client + ": error: Invalid numeric value \"" + text + "\""));
    }

    /** How many tasks each of the step's nodes runs. */
    List<Integer> layout(int availableNodes) {
        int nodeCount = nodes != null ? nodes : nodeList.isEmpty() ? (tasks != null && tasksPerNode != null
                ? (tasks + tasksPerNode - 1) / tasksPerNode : 1) : nodeList.size();
        int taskCount = tasks != null ? tasks : tasksPerNode != null ? tasksPerNode * nodeCount : nodeCount;
        nodeCount = Math.min(nodeCount, taskCount);     // Slurm: "can't run 1 processes on 2 nodes, setting nnodes to 1"
        if (nodeCount > availableNodes || taskCount > MAX_TASKS) {
            throw new RefusedException(List.of(client.command() + ": error: Unable to allocate resources: Requested node"
                    + " configuration is not available"));
        }
        List<Integer> layout = new ArrayList<>();
        for (int n = 0; n < nodeCount; n++) {
            layout.add(taskCount / nodeCount + (n < taskCount % nodeCount ? 1 : 0));
        }
        return layout;
    }
}
