package dev.jpyxis.simulator.slurm;

import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The part of an srun (or salloc, or {@code #SBATCH}) command line the simulator understands: node and task counts,
 * node list, and the container options, in order; the rest of the options are skipped and the command follows.
 */
record SrunLine(Integer nodes, Integer tasks, Integer tasksPerNode, List<String> nodeList, List<OptionUse> options,
        List<String> command) {

    private static final Set<String> SKIPPED_WITH_ARGUMENT = Set.of("-J", "--job-name", "-p", "--partition", "-t",
            "--time", "--mpi", "-c", "--cpus-per-task", "--mem", "-o", "--output", "-e", "--error", "-A", "--account",
            "--export", "-D", "--chdir", "-G", "--gpus");

    /** A command line the client itself refuses, with its message (after "srun: "). */
    static final class RefusedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    /**
     * @param clusterNodes      the names {@code -w} may use
     * @param containerOptions  whether the plugin registered its options with this client (not with sbatch and
     *                          salloc when {@code sbatch_support} is false)
     * @throws RefusedException for an unknown {@code --container-*} option, a bad number or an unknown node
     */
    static SrunLine parse(List<String> words, Set<String> clusterNodes, boolean containerOptions) {
        Integer nodes = null;
        Integer tasks = null;
        Integer perNode = null;
        List<String> nodeList = List.of();
        List<OptionUse> options = new ArrayList<>();
        int i = 0;
        for (; i < words.size(); i++) {
            String word = words.get(i);
            if (word.equals("--")) {
                i++;
                break;
            }
            if (!word.startsWith("-")) {
                break;
            }
            int equals = word.indexOf('=');
            String name = equals < 0 ? word : word.substring(0, equals);
            String inline = equals < 0 ? null : word.substring(equals + 1);
            if (name.startsWith("--container-") || name.startsWith("--no-container-")) {
                List<ContainerOption> candidates = containerOptions ? ContainerOption.matching(name) : List.of();
                if (candidates.isEmpty()) {
                    throw new RefusedException("unrecognized option '" + word + "'\nTry \"srun --help\" for more "
                            + "information");
                }
                if (candidates.size() > 1) {
                    throw new RefusedException("option '" + name + "' is ambiguous; possibilities: " + String.join(" ",
                            candidates.stream().map(candidate -> "'" + candidate.flag() + "'").toList()));
                }
                ContainerOption option = candidates.get(0);
                String value = inline;
                if (option.takesArgument() && value == null) {
                    value = i + 1 < words.size() ? words.get(++i) : "";
                }
                options.add(OptionUse.of(option, value));
                continue;
            }
            String argument = inline;
            boolean shortWithValue = name.length() > 2 && !name.startsWith("--");
            if (shortWithValue) {
                argument = name.substring(2);
                name = name.substring(0, 2);
            }
            switch (name) {
                case "-N", "--nodes" -> nodes = number(argument != null ? argument : words.get(++i));
                case "-n", "--ntasks" -> tasks = number(argument != null ? argument : words.get(++i));
                case "--ntasks-per-node" -> perNode = number(argument != null ? argument : words.get(++i));
                case "-w", "--nodelist" -> {
                    nodeList = List.of((argument != null ? argument : words.get(++i)).split(","));
                    if (!clusterNodes.containsAll(nodeList)) {
                        throw new RefusedException("error: Unable to allocate resources: Invalid node name specified");
                    }
                }
                default -> {
                    if (argument == null && SKIPPED_WITH_ARGUMENT.contains(name)) {
                        i++;
                    }
                }
            }
        }
        return new SrunLine(nodes, tasks, perNode, nodeList, options, words.subList(Math.min(i, words.size()),
                words.size()));
    }

    private static int number(String text) {
        try {
            int value = Integer.parseInt(text);
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new RefusedException("error: Invalid numeric value \"" + text + "\"");
    }

    /** How many tasks each of the step's nodes runs. */
    List<Integer> layout(int availableNodes) {
        int nodeCount = nodes != null ? nodes : nodeList.isEmpty() ? (tasks != null && tasksPerNode != null
                ? (tasks + tasksPerNode - 1) / tasksPerNode : 1) : nodeList.size();
        int taskCount = tasks != null ? tasks : tasksPerNode != null ? tasksPerNode * nodeCount : nodeCount;
        nodeCount = Math.min(nodeCount, taskCount);     // Slurm: "can't run 1 processes on 2 nodes, setting nnodes to 1"
        if (nodeCount > availableNodes) {
            throw new RefusedException("error: Unable to allocate resources: Requested node configuration is not "
                    + "available");
        }
        List<Integer> layout = new ArrayList<>();
        for (int n = 0; n < nodeCount; n++) {
            layout.add(taskCount / nodeCount + (n < taskCount % nodeCount ? 1 : 0));
        }
        return layout;
    }
}
