package dev.jpyxis.domain.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * A segment of what one task does in {@code task_init}: operations in order. A segment ending with
 * {@link TaskOperation.Report} is followed by another once the engine has the report; any other segment is the last,
 * and the task then executes the user's command.
 */
public record TaskPlan(List<TaskOperation> operations) {

    public TaskPlan {
        operations = List.copyOf(operations);
    }

    public static TaskPlan of(TaskOperation... operations) {
        return new TaskPlan(List.of(operations));
    }

    public static TaskPlan done() {
        return new TaskPlan(List.of());
    }

    public static TaskPlan fail(List<String> lines) {
        return of(new TaskOperation.Fail(lines));
    }

    public boolean expectsReport() {
        return !operations.isEmpty() && operations.get(operations.size() - 1) instanceof TaskOperation.Report;
    }

    public boolean fails() {
        return operations.stream().anyMatch(op -> op instanceof TaskOperation.Fail);
    }

    /** A plan with {@code before} in front of this one's operations. */
    public TaskPlan after(List<TaskOperation> before) {
        List<TaskOperation> all = new ArrayList<>(before);
        all.addAll(operations);
        return new TaskPlan(all);
    }
}
