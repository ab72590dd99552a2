package dev.jpyxis.adapters.enroot;

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
 * One {@code enroot list} begun ahead of need: enroot's bash takes 25 to 30 ms to list a directory, which a named
 * step would otherwise pay between {@code user_init} and its tasks (docs/performance.md#current-results).
 * Begun when the step opens, on a thread of its own; taken once, by a listing with the same environment and working
 * directory, which gets its result or its failure and the lines it logged. Any other listing runs anew.
 */
final class NamesAhead {

    private final Environment environment;
    private final String workingDirectory;
    private final List<Diagnostic> logged = new CopyOnWriteArrayList<>();
    private final FutureTask<List<String>> listing;

    private NamesAhead(RuntimeInvocation invocation, Function<RuntimeInvocation, List<String>> names) {
        this.environment = invocation.environment();
        this.workingDirectory = invocation.workingDirectory();
        RuntimeInvocation quiet = new RuntimeInvocation(environment, workingDirectory, logged::add);
        this.listing = new FutureTask<>(() -> names.apply(quiet));
    }

    /** Begins {@code names} of this invocation now. */
    static NamesAhead begin(RuntimeInvocation invocation, Function<RuntimeInvocation, List<String>> names) {
        NamesAhead ahead = new NamesAhead(invocation, names);
        Thread thread = new Thread(ahead.listing, "enroot-list-ahead");
        thread.setDaemon(true);
        thread.start();
        return ahead;
    }

    /**
     * The names, for a listing with this environment and working directory (waiting for them if need be), its lines
     * replayed into the invocation's log; empty for any other invocation.
     */
    Optional<List<String>> take(RuntimeInvocation invocation) {
        if (!invocation.environment().equals(environment) || !invocation.workingDirectory().equals(workingDirectory)) {
            return Optional.empty();
        }
        try {
            List<String> names = listing.get();
            logged.forEach(invocation.log()::add);
            return Optional.of(names);
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
