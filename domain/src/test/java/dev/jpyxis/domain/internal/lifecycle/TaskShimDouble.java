package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.in.Delivery;
import dev.jpyxis.domain.port.in.StartOutcome;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.out.SetupProgress;

import dev.jpyxis.domain.plan.TaskOperation;
import dev.jpyxis.domain.plan.TaskOperation.Checkpoint;
import dev.jpyxis.domain.plan.TaskPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Plays the native shim for every local task of a {@link NodeStep}: receives plan segments, "executes" them by
 * recording their operations, and sends the reports they end with when the test says so.
 */
final class TaskShimDouble {

    /** How a task's {@code task_init} ended, if it has. */
    enum End { EXEC, FAILED, LOST }

    final NodeStep step;
    final int localTasks;
    StartOutcome startOutcome = new StartOutcome.Stopped(4242, List.of("enroot says hello"));
    final Map<Integer, List<TaskOperation>> executed = new LinkedHashMap<>();
    final Map<Integer, Checkpoint> awaitingReport = new LinkedHashMap<>();
    final Map<Integer, End> ends = new LinkedHashMap<>();
    final List<Integer> arrivals = new ArrayList<>();
    final List<String> events = new ArrayList<>();

    TaskShimDouble(NodeStep step, int localTasks) {
        this.step = step;
        this.localTasks = localTasks;
    }

    /** @param terminal the tasks' terminal the step was given: lines shown there land among this double's */
    TaskShimDouble(NodeStep step, int localTasks, Terminal terminal) {
        this(step, localTasks);
        terminal.shim = this;
    }

    /**
     * The tasks' terminal as the engine reaches a task that waits for its plan (the log lines of a keep-alive): the
     * line is logged among the task's operations, in the order the shim logs it.
     */
    static final class Terminal implements SetupProgress {
        private TaskShimDouble shim;
        final List<String> shown = new ArrayList<>();

        @Override
        public void show(int localTask, Diagnostic line) {
            shown.add(localTask + " " + line.text());
            if (shim != null) {
                shim.executed.get(localTask).add(new TaskOperation.Log(line));
            }
        }
    }

    void arrive(int task) {
        events.add("arrive " + task);
        arrivals.add(task);
        executed.put(task, new ArrayList<>());
        deliver(step.taskArrived(task, Steps.taskEnv(task)));
    }

    void report(int task) {
        Checkpoint checkpoint = awaitingReport.remove(task);
        events.add("report " + task + " " + checkpoint);
        Optional<StartOutcome> outcome = checkpoint == Checkpoint.STARTED ? Optional.of(startOutcome) : Optional.empty();
        deliver(step.taskReported(task, checkpoint, outcome));
    }

    void lose(int task) {
        events.add("lose " + task);
        awaitingReport.remove(task);
        ends.put(task, End.LOST);
        deliver(step.taskLost(task));
    }

    private void deliver(List<Delivery> deliveries) {
        for (Delivery delivery : deliveries) {
            int task = delivery.localTask();
            if (ends.containsKey(task)) {
                throw new AssertionError("a plan for task " + task + " which already ended: " + events);
            }
            if (awaitingReport.containsKey(task)) {
                throw new AssertionError("a plan for task " + task + " which owes a report: " + events);
            }
            TaskPlan plan = delivery.plan();
            executed.get(task).addAll(plan.operations());
            if (plan.fails()) {
                ends.put(task, End.FAILED);
            } else if (plan.expectsReport()) {
                TaskOperation.Report report = (TaskOperation.Report) plan.operations().get(plan.operations().size() - 1);
                awaitingReport.put(task, report.checkpoint());
            } else {
                ends.put(task, End.EXEC);
            }
        }
    }

    /** Every event that could happen next: a task arriving, or a task sending the report it owes. */
    List<String> enabled(boolean withLoss) {
        List<String> enabled = new ArrayList<>();
        for (int task = 0; task < localTasks; task++) {
            if (!executed.containsKey(task)) {
                enabled.add("arrive " + task);
            }
        }
        awaitingReport.keySet().forEach(task -> enabled.add("report " + task));
        if (withLoss && !ends.containsValue(End.LOST)) {
            for (int task : new TreeSet<>(executed.keySet())) {
                if (!ends.containsKey(task)) {
                    enabled.add("lose " + task);
                }
            }
        }
        return enabled;
    }

    void perform(String event) {
        String[] parts = event.split(" ");
        int task = Integer.parseInt(parts[1]);
        switch (parts[0]) {
            case "arrive" -> arrive(task);
            case "report" -> report(task);
            case "lose" -> lose(task);
            default -> throw new IllegalArgumentException(event);
        }
    }

    List<TaskOperation> operationsOf(int task, Class<? extends TaskOperation> type) {
        return executed.getOrDefault(task, List.of()).stream().filter(type::isInstance).toList();
    }

    long count(Class<? extends TaskOperation> type) {
        return executed.values().stream().flatMap(List::stream).filter(type::isInstance).count();
    }

    List<String> failureOf(int task) {
        return executed.get(task).stream().filter(op -> op instanceof TaskOperation.Fail)
                .map(op -> ((TaskOperation.Fail) op).lines()).findFirst().orElse(List.of());
    }
}
