package dev.jpyxis.dist.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * For the fault-injection tests only (docs/e2e.md#stopping-the-engine-at-a-hook): with the JVM property
 * {@code jpyxis.test.stop_at=<request>} (set by the admin through {@code jvm_options} of the plugstack line; a user's
 * step cannot reach the engine's JVM flags), the engine stops itself with SIGSTOP once it has read that request and
 * before doing anything for it, so that a test can kill it exactly at that hook. Without the property it does
 * nothing.
 */
final class HookStop implements Consumer<String> {

    static final String PROPERTY = "jpyxis.test.stop_at";

    private final String request;
    private final Runnable stop;

    HookStop(String request, Runnable stop) {
        this.request = request;
        this.stop = stop;
    }

    /** The stop the JVM's properties ask for, or one that never stops. */
    static Consumer<String> fromProperties() {
        String request = System.getProperty(PROPERTY, "");
        return request.isEmpty() ? type -> { } : new HookStop(request, HookStop::stopThisProcess);
    }

    @Override
    public void accept(String type) {
        if (type.equals(request)) {
            stop.run();
        }
    }

    /** SIGSTOP stops every thread of the process; SIGCONT (or SIGKILL) is the test's to send. */
    private static void stopThisProcess() {
        // the JVM refuses to raise a signal it does not handle: kill(1) sends it
        try {
            new ProcessBuilder("kill", "-STOP", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException cannot) {
            throw new UncheckedIOException(cannot);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
