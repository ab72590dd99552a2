package dev.jpyxis.domain.port.out;

import java.util.List;
import java.util.Optional;

/**
 * The user's record, on the node, of which step owns which container, so that a later step can recognise what a
 * crashed step left behind. Also tells which processes are alive and which boot of the node this is.
 */
public interface StepLedger {

    /** Identifies the current boot of the node. */
    String bootId();

    /** This engine process. */
    ProcessIdentity self();

    boolean isAlive(ProcessIdentity process);

    /** The process with this pid as it runs now, or empty when there is none. */
    Optional<ProcessIdentity> identify(long pid);

    List<OwnershipRecord> records();

    void write(OwnershipRecord record);

    void erase(OwnershipRecord record);

    /**
     * Whether this ledger holds the record of every temporary container the user's steps made on the node: false for
     * a ledger that is new, as after a reboot emptied a {@code runtime_path} in {@code /run} while the runtime's
     * storage kept the containers of the earlier boot, unrecorded now (docs/lifecycle.md#who-owns-what-on-disk).
     */
    boolean complete();

    /** What the ledger did not record was swept from the runtime's storage: from now on it records everything. */
    void markComplete();

    /**
     * The job's epilog on this node will have work: leaves the trace the shim looks for before it starts an engine
     * for the job epilog, so a job without containers here pays for none.
     *
     * @return false when the trace could not be left
     */
    boolean expectEpilog(long jobId);

    /** The job's epilog ran: its trace goes. */
    void epilogDone(long jobId);

    /**
     * The jobs that ended on this node without their epilog removing their containers (no engine of the epilog
     * answered: the shim then turns the job's trace into an ended one), so the user's next step removes them
     * (docs/lifecycle.md#faults).
     */
    List<Long> jobsLeftToSweep();

    /** What such a job left is gone: its ended trace goes. */
    void jobSwept(long jobId);
}
