package dev.jpyxis.simulator.slurm;

import dev.jpyxis.simulator.node.SimulatedNode;
import java.util.List;

/** A job: its id, owner and allocated nodes. */
record Job(long id, String user, long uid, List<SimulatedNode> nodes, int restarts) {

    String home() {
        return SimulatedSlurm.workingDirectory(user);
    }

    String batchScript() {
        return "/var/spool/slurmd/job" + id + "/slurm_script";
    }
}
