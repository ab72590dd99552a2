package dev.jpyxis.domain.env;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What enroot's PyTorch hook ({@code conf/hooks/extra/50-slurm-pytorch.sh} in enroot's repository) gives a container
 * whose image declares {@code PYTORCH_VERSION}: {@code MASTER_ADDR}, {@code MASTER_PORT}, {@code WORLD_SIZE},
 * {@code RANK}, {@code LOCAL_RANK} and {@code OMP_NUM_THREADS}, from the step's Slurm variables, each only where the
 * container does not set it already. jpyxis gives them itself with a runtime that has no such hook
 * (docs/runtimes.md#pytorch-variables); the simulator's enroot applies the same rules.
 */
public final class PytorchVariables {

    /** The hook's port range: {@code SLURM_JOB_ID % 4536 + 61000}. */
    private static final long PORT_SPAN = 4536;
    private static final long PORT_BASE = 61000;

    private PytorchVariables() {
    }

    /**
     * @param container the container's environment (the image's, as the runtime starts it)
     * @param slurm     the step's Slurm variables, as the runtime was started with
     * @return {@code container} with the variables it lacks, or unchanged when the image declares no
     *         {@code PYTORCH_VERSION}
     */
    public static Environment fill(Environment container, Environment slurm) {
        if (!container.contains("PYTORCH_VERSION")) {
            return container;
        }
        Map<String, String> added = new LinkedHashMap<>();
        slurm.get("SLURM_STEP_NODELIST").flatMap(PytorchVariables::firstHost)
                .ifPresent(host -> added.put("MASTER_ADDR", host));
        slurm.get("SLURM_JOB_ID").flatMap(PytorchVariables::number)
                .ifPresent(job -> added.put("MASTER_PORT", Long.toString(job % PORT_SPAN + PORT_BASE)));
        slurm.get("SLURM_NTASKS").ifPresent(tasks -> added.put("WORLD_SIZE", tasks));
        slurm.get("SLURM_PROCID").ifPresent(rank -> added.put("RANK", rank));
        slurm.get("SLURM_LOCALID").ifPresent(rank -> added.put("LOCAL_RANK", rank));
        // as torch.distributed.run does: one thread per process when a node runs several of them
        long tasks = slurm.get("SLURM_STEP_NUM_TASKS").flatMap(PytorchVariables::number).orElse(1L);
        long nodes = slurm.get("SLURM_STEP_NUM_NODES").flatMap(PytorchVariables::number).orElse(1L);
        if (tasks > nodes) {
            added.put("OMP_NUM_THREADS", "1");
        }
        Environment filled = container;
        for (var variable : added.entrySet()) {
            if (!filled.contains(variable.getKey())) {
                filled = filled.with(variable.getKey(), variable.getValue());
            }
        }
        return filled;
    }

    /**
     * The first host of a Slurm host list, as {@code scontrol show hostname LIST | head -n1} gives it:
     * {@code node[01-04,7],gpu1} is {@code node01}; every bracket group of the first entry contributes its first
     * value ({@code rack[1-2]-n[3-4]} is {@code rack1-n3}).
     */
    static Optional<String> firstHost(String hostList) {
        StringBuilder host = new StringBuilder();
        int depth = 0;
        boolean firstInGroup = false;
        for (int i = 0; i < hostList.length(); i++) {
            char c = hostList.charAt(i);
            if (c == '[') {
                depth++;
                firstInGroup = true;
            } else if (c == ']') {
                depth--;
            } else if (depth == 0 && c == ',') {
                break;
            } else if (depth == 0) {
                host.append(c);
            } else if (c == ',' || c == '-') {
                firstInGroup = false;
            } else if (firstInGroup) {
                host.append(c);
            }
        }
        return host.isEmpty() || depth != 0 ? Optional.empty() : Optional.of(host.toString());
    }

    private static Optional<Long> number(String text) {
        try {
            return Optional.of(Long.parseLong(text.trim()));
        } catch (NumberFormatException notOne) {
            return Optional.empty();
        }
    }
}
