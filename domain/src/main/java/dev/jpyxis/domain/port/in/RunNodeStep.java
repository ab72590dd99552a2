package dev.jpyxis.domain.port.in;

import dev.jpyxis.domain.port.out.SetupProgress;

/** Runs one step on one node, from slurmstepd's {@code init_post_opt} to the step's end. */
public interface RunNodeStep {

    /** {@code init_post_opt}: reads the configuration and the step's options, and opens the step if it has a container. */
    StepOpening open(StepLaunch launch);

    /**
     * As {@link #open(StepLaunch)}, for a driver that shows the user how a long setup goes while it runs
     * ({@link NodeStepEvents#timePassed}).
     */
    StepOpening open(StepLaunch launch, SetupProgress progress);
}
