package dev.jpyxis.exec;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.out.RuntimeInvocation;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Function;

/**
 * A command's answer begun ahead of need, on a thread of its own, while the step's other work goes on
 * (docs/performance.md#current-results): taken once, by a call with the same environment and working directory, which
 * gets its result, or its failure, and the lines it logged. Any other call runs its command anew.
 *
 * @param <T> the answer
 */
public final class EarlyAnswer<T> {

    private final Environment environment;
    private final String workingDirectory;
    private final List<Diagnostic> logged = new CopyOnWriteArrayList<>();
    private final FutureTask<T> answer;

    private EarlyAnswer(RuntimeInvocation invocation, Function<RuntimeInvocation, T> command) {
        this.environment = invocation.environment();
        this.workingDirectory = invocation.workingDirectory();
        RuntimeInvocation quiet = new RuntimeInvocation(environment, workingDirectory, logged::add);
        this.answer = new FutureTask<>(() -> command.apply(quiet));
    }

    /** Begins {@code command} of this invocation now, on a daemon thread named {@code name}. */
    public static <T> EarlyAnswer<T> begin(String name, RuntimeInvocation invocation,
            Function<RuntimeInvocation, T> command) {
        EarlyAnswer<T> early = new EarlyAnswer<>(invocation, command);
        Thread thread = new Thread(early.answer, name);
        thread.setDaemon(true);
        thread.start();
        return early;
    }

    /**
     * The answer, for a call with this environment and working directory (waiting for it if need be), its lines
     * replayed into the invocation's log; empty for any other invocation.
     */
    public Optional<T> take(RuntimeInvocation invocation) {
        if (!invocation.environment().equals(environment) || !invocation.workingDirectory().equals(workingDirectory)) {
            return Optional.empty();
        }
        try {
            T value = answer.get();
            logged.forEach(invocation.log()::add);
            return Optional.of(value);
        } catch (ExecutionException failed) {
            logged.forEach(invocation.log()::add);
            if (failed.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(failed.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
