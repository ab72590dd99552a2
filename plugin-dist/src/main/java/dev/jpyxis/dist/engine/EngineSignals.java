package dev.jpyxis.dist.engine;

import dev.jpyxis.exec.CommandRunner;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The signals Slurm sends every process of a step (scancel, {@code --signal}, the time limit) do not end the engine:
 * like pyxis's cleanup in slurmstepd, it stays to export ({@code --container-save}) and remove the step's container
 * when slurmstepd says the tasks are gone. A cancelling signal stops the runtime commands under way instead, so a
 * cancelled import ends at once. Only SIGKILL ends the engine early.
 */
final class EngineSignals {

    /** What scancel and the time limit send first, and what a terminal sends. */
    private static final List<String> CANCELLING = List.of("TERM", "INT", "HUP");
    /** What {@code --signal} may send for the job's own use: none of the engine's business. */
    private static final List<String> IGNORED = List.of("USR1", "ALRM", "CONT", "TSTP", "TTIN", "TTOU");

    private EngineSignals() {
    }

    static void install() {
        for (String name : CANCELLING) {
            handle(name, true);
        }
        for (String name : IGNORED) {
            handle(name, false);
        }
    }

    /** Installs the handlers and puts the previous ones back: the startup cache's training runs what install runs. */
    static void rehearse() {
        Map<String, SignalHandler> previous = new LinkedHashMap<>();
        for (String name : CANCELLING) {
            handle(name, true).ifPresent(handler -> previous.put(name, handler));
        }
        for (String name : IGNORED) {
            handle(name, false).ifPresent(handler -> previous.put(name, handler));
        }
        previous.forEach((name, handler) -> Signal.handle(new Signal(name), handler));
    }

    /** The handler the signal had, or empty when the JVM keeps the signal for itself. */
    private static Optional<SignalHandler> handle(String name, boolean cancels) {
        try {
            return Optional.of(Signal.handle(new Signal(name), signal -> {
                if (cancels) {
                    CommandRunner.stopAll();
                }
            }));
        } catch (IllegalArgumentException reservedByTheJvm) {
            // the JVM keeps it: its default stays
            return Optional.empty();
        }
    }
}
