package dev.jpyxis.domain.port.in;

/** The job epilog on one node, as the job's user: the job's containers go when {@code container_scope=job}. */
public interface RunJobEpilog {

    /** A failed outcome drains the node: only a container that could not be removed fails it. */
    HookOutcome run(EpilogRequest request);
}
