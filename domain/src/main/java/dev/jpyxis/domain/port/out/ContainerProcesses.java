package dev.jpyxis.domain.port.out;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.plan.NamespaceKind;
import java.util.Optional;

/** What the engine can see of, and do to, a container's first process on the node ({@code /proc}, signals). */
public interface ContainerProcesses {

    /** The environment the process started with ({@code /proc/<pid>/environ}). */
    Environment environment(long pid) throws InspectionException;

    /** The process's working directory as its own mount namespace shows it ({@code /proc/<pid>/cwd}). */
    String workingDirectory(long pid) throws InspectionException;

    /** The identity of the process's namespace of that kind; empty when the kernel has no such namespace. */
    Optional<String> namespace(long pid, NamespaceKind kind) throws InspectionException;

    /** The identity of the engine's own namespace of that kind (the tasks start in the same ones). */
    Optional<String> ownNamespace(NamespaceKind kind) throws InspectionException;

    /** Continues the stopped process ({@code SIGCONT}). */
    void resume(long pid) throws InspectionException;

    /** Reading or signalling the process failed; the message is the system's reason. */
    final class InspectionException extends Exception {
        private static final long serialVersionUID = 1L;

        public InspectionException(String reason) {
            super(reason);
        }
    }
}
