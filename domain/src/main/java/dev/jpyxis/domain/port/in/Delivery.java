package dev.jpyxis.domain.port.in;

import dev.jpyxis.domain.plan.TaskPlan;
import java.util.Objects;

/** A plan segment for one local task, to be sent to it now. */
public record Delivery(int localTask, TaskPlan plan) {

    public Delivery {
        Objects.requireNonNull(plan, "plan");
    }
}
