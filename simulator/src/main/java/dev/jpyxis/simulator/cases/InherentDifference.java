package dev.jpyxis.simulator.cases;

import java.util.List;
import java.util.Optional;

/**
 * A difference between the real cluster and the simulator that is expected, with its reason: the comparison reports it
 * as explained instead of failing. Kept short and explicit, so that nothing is ignored silently.
 *
 * @param caseName the case it concerns
 * @param runtime  the runtime it concerns, or null for both
 * @param aspect   what differs
 * @param reason   why the simulator does not (or cannot) give what the real cluster did
 */
public record InherentDifference(String caseName, String runtime, Aspect aspect, String reason) {

    public InherentDifference {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an inherent difference needs its reason");
        }
    }

    /** The differences the comparison of the multi-node cases expects (docs/simulator.md#checked-against-the-real-cluster). */
    public static final List<InherentDifference> MULTINODE = List.of(
            new InherentDifference("mpi-pmix-4-ranks-2-nodes", null, Aspect.NOT_SIMULATED,
                    "the simulator has no PMIx server and no MPI library: the ranks' wire-up across nodes is only real;"
                            + " its containers are those of pytorch-variables-2-nodes-4-tasks, which is simulated"));

    /** The entry explaining a difference of {@code aspect} in the case of {@code record}, if there is one. */
    public static Optional<InherentDifference> find(List<InherentDifference> differences, CaseRecord record,
            Aspect aspect) {
        return differences.stream()
                .filter(d -> d.caseName.equals(record.caseName()) && d.aspect == aspect
                        && (d.runtime == null || d.runtime.equals(record.runtime())))
                .findFirst();
    }
}
