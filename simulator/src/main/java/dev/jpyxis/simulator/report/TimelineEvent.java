package dev.jpyxis.simulator.report;

import java.util.Objects;

/**
 * One thing that happened on a simulated node, as fields and in words.
 *
 * @param sequence where it happened in the run: one count shared by every node, so that nodes can be drawn side by side
 * @param step     the job ({@code 100}) or step ({@code 100.0}, {@code 100.batch}) it belongs to; null for the node's own
 *                 events (a crash)
 * @param task     the global id of the task it concerns, or null
 * @param kind     what it is
 * @param level    for {@link Kind#MESSAGE}, the level pyxis reports it at ({@code error}, {@code info}, {@code user},
 *                 ...); otherwise null
 * @param text     the event in words, without its step: {@code task 2 joined the namespaces of pid 1005}
 */
public record TimelineEvent(long sequence, String step, Integer task, Kind kind, String level, String text) {

    /** What happened, named for tools reading the JSON report. */
    public enum Kind {
        JOB_STARTED("job-started"),
        JOB_ENDED("job-ended"),
        ENGINE_STARTED("engine-started"),
        TASK_INIT("task-init"),
        CONTAINER_STARTED("container-started"),
        CONTAINER_NOT_STARTED("container-not-started"),
        JOINED("joined"),
        RELEASED("released"),
        TASK_FAILED("task-failed"),
        TASK_DIED("task-died"),
        SLURMSTEPD_KILLED("slurmstepd-killed"),
        MESSAGE("message"),
        EPILOG_FAILED("epilog-failed"),
        RUNTIME_COMMAND("runtime-command"),
        NODE_CRASHED("node-crashed"),
        NODE_DAMAGED("node-damaged");

        private final String keyword;

        Kind(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    public TimelineEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(text, "text");
    }

    /** The event as the text report shows it: {@code [100.0] task 2 reached task_init}. */
    public String line() {
        return step == null ? text : "[" + step + "] " + text;
    }

    /** Whether it tells of something going wrong: a failure, a lost task, an error message. */
    public boolean failure() {
        return switch (kind) {
            case CONTAINER_NOT_STARTED, TASK_FAILED, TASK_DIED, SLURMSTEPD_KILLED, EPILOG_FAILED, NODE_CRASHED -> true;
            case MESSAGE -> "error".equals(level);
            default -> false;
        };
    }
}
