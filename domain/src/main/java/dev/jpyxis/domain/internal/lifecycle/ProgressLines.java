package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.internal.image.ImageReference;
import dev.jpyxis.domain.internal.step.StepContext;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.out.CommandWrites;
import dev.jpyxis.domain.port.out.MonotonicClock;
import dev.jpyxis.domain.port.out.SetupProgress;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What a node says while a long command of the container's setup runs (docs/troubleshooting.md#progress-of-an-import):
 * that an import begins, then every {@code progress_interval} seconds how long the command has run and how much it
 * has written, until it ends. Time and bytes come through ports and the driver's ticks; the lines leave at once through
 * {@link SetupProgress}.
 *
 * <p>Thread-safe: the driver ticks from a thread of its own while the setup task's command runs. A line is shown under
 * the lock, so none follows the end of the command that it is about.
 */
public final class ProgressLines {

    /** What the command does, as the periodic line says it. */
    enum Work {
        IMPORTING("importing"), UNPACKING("unpacking");

        private final String words;

        Work(String words) {
            this.words = words;
        }
    }

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long BYTES_PER_MEGABYTE = 1_000_000L;

    private final SetupProgress display;
    private final MonotonicClock clock;
    private final CommandWrites writes;
    private final long intervalNanos;
    private final String node;

    /** The command being watched, or null. */
    private Watched watched;

    private static final class Watched {
        final int localTask;
        final Work work;
        final String image;
        final long startedAt;
        final long bytesBefore;
        long lastLineAt;

        Watched(int localTask, Work work, String image, long startedAt, long bytesBefore) {
            this.localTask = localTask;
            this.work = work;
            this.image = image;
            this.startedAt = startedAt;
            this.bytesBefore = bytesBefore;
            this.lastLineAt = startedAt;
        }
    }

    /**
     * @param intervalSeconds {@code progress_interval}: 0 shows no periodic line
     * @param node            the node's name, as the shim's own messages name it
     */
    public ProgressLines(SetupProgress display, MonotonicClock clock, CommandWrites writes, int intervalSeconds,
            String node) {
        this.display = Objects.requireNonNull(display, "display");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.writes = Objects.requireNonNull(writes, "writes");
        if (intervalSeconds < 0) {
            throw new IllegalArgumentException("negative progress interval");
        }
        this.intervalNanos = intervalSeconds * NANOS_PER_SECOND;
        this.node = Objects.requireNonNull(node, "node");
    }

    /** Lines that go nowhere, for a step whose driver shows none. */
    static ProgressLines silent(MonotonicClock clock) {
        return new ProgressLines(SetupProgress.NONE, clock, CommandWrites.NONE, 0, "");
    }

    /**
     * The line saying that an import begins. A step of at most one task (the batch step has none) gets pyxis's own
     * (NVIDIA/pyxis pyxis_slurmstepd.c:744), which pyxis users' scripts may count on; a larger step, where pyxis says
     * nothing, gets it with the node, since every node of the step imports.
     */
    Diagnostic importing(StepContext step, ImageReference image) {
        String line = "pyxis: importing docker image: " + image.asGiven();
        return Diagnostic.user(step.totalTaskCount() <= 1 ? line : line + " (node " + node + ")");
    }

    /**
     * Shows the lines now, in order, through the task that sets the container up, and empties the list; a driver that
     * shows nothing while the setup runs leaves them there, for the plan that follows the setup.
     */
    synchronized void showNow(int localTask, List<Diagnostic> pending) {
        if (display == SetupProgress.NONE) {
            return;
        }
        pending.forEach(line -> display.show(localTask, line));
        pending.clear();
    }

    /** Runs {@code command} (a runtime or importer command of the setup task {@code localTask}), watching it. */
    <T> T watch(int localTask, Work work, String image, Supplier<T> command) {
        begin(localTask, work, image);
        try {
            return command.get();
        } finally {
            end();
        }
    }

    private synchronized void begin(int localTask, Work work, String image) {
        if (intervalNanos > 0) {
            watched = new Watched(localTask, work, image, clock.nanos(), writes.bytesWritten());
        }
    }

    private synchronized void end() {
        watched = null;
    }

    /**
     * Time passed: once a watched command has run for another interval since the last line (or its start), says how
     * long it has run and how much it has written.
     */
    public synchronized void tick() {
        if (watched == null || intervalNanos == 0) {
            return;
        }
        long now = clock.nanos();
        if (now - watched.lastLineAt < intervalNanos) {
            return;
        }
        watched.lastLineAt = now;
        long seconds = (now - watched.startedAt) / NANOS_PER_SECOND;
        long megabytes = Math.max(0, writes.bytesWritten() - watched.bytesBefore) / BYTES_PER_MEGABYTE;
        display.show(watched.localTask, Diagnostic.user("pyxis: still " + watched.work.words + " " + watched.image
                + ", " + seconds + " s, " + megabytes + " MB written to disk (node " + node + ")"));
    }
}
