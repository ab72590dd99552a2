package dev.jpyxis.domain.plan;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One mechanical step of a task plan. The native shim (or the simulator's kernel) executes operations in order and
 * makes no decision of its own; every message it may need comes with the operation. A failing operation reports its
 * {@code failure} text followed by {@code ": "} and the system's reason, and fails the task.
 */
public sealed interface TaskOperation {

    /** Report a line through Slurm's logging, at the diagnostic's level. */
    record Log(Diagnostic diagnostic) implements TaskOperation {
        public Log {
            Objects.requireNonNull(diagnostic, "diagnostic");
        }
    }

    /**
     * Start the container's first process from this task: run {@code argv} (absolute program path) with exactly
     * {@code environment}, stdin from {@code /dev/null}, stdout and stderr captured, and wait until it has stopped
     * itself or ended. The outcome is reported at the next {@link Report}.
     *
     * <p>With {@code unshare}, the process first makes a user namespace of its own (mapping the user to itself) with
     * those namespaces, and brings up the loopback interface of a new network namespace, before it runs
     * {@code argv}. Once it has stopped, the {@code mounts} (if any) are made in its mount namespace, by a child
     * process that first joins {@code mountJoins} of it; the start counts as failed if one fails. They are made
     * before the outcome is reported, so no task joins a container whose mounts are not all in place.
     */
    record StartContainer(List<String> argv, Environment environment, Set<NamespaceKind> unshare,
            List<NamespaceJoin> mountJoins, List<ContainerMount> mounts) implements TaskOperation {
        public StartContainer {
            argv = List.copyOf(argv);
            Objects.requireNonNull(environment, "environment");
            unshare = Set.copyOf(unshare);
            if (!Set.of(NamespaceKind.IPC, NamespaceKind.UTS, NamespaceKind.NET).containsAll(unshare)) {
                throw new IllegalArgumentException("only ipc, uts and net can be unshared: " + unshare);
            }
            mountJoins = List.copyOf(mountJoins);
            mounts = List.copyOf(mounts);
            if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
                throw new IllegalArgumentException("the program must be given by absolute path: " + argv);
            }
            if (!mounts.isEmpty() && mountJoins.isEmpty()) {
                throw new IllegalArgumentException("mounts inside the container need its mount namespace");
            }
        }

        public StartContainer(List<String> argv, Environment environment) {
            this(argv, environment, Set.of(), List.of(), List.of());
        }
    }

    /**
     * Open {@code /proc/<pid>/ns/<kind>} for every namespace first, then join them with {@code setns} in order.
     */
    record JoinNamespaces(long pid, List<NamespaceJoin> joins) implements TaskOperation {
        public JoinNamespaces {
            joins = List.copyOf(joins);
        }
    }

    record ChangeDirectory(String path, String failure) implements TaskOperation {
        public ChangeDirectory {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(failure, "failure");
        }
    }

    /** Set a variable of the task's environment, overwriting. */
    record SetVariable(String name, String value) implements TaskOperation {
        public SetVariable {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    record UnsetVariable(String name) implements TaskOperation {
        public UnsetVariable {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Install the filter that fakes success for identity changes (docs/pyxis-compatibility.md#seccomp-filter). */
    record InstallSeccompFilter(String failure) implements TaskOperation {
        public InstallSeccompFilter {
            Objects.requireNonNull(failure, "failure");
        }
    }

    /** Send {@code SIGCONT} to the stopped first process of the container, which then exits. */
    record ResumeContainer(long pid, String failure) implements TaskOperation {
        public ResumeContainer {
            Objects.requireNonNull(failure, "failure");
        }
    }

    /** Report what happened so far (the start outcome, or that the namespaces are joined) and wait for more. */
    record Report(Checkpoint checkpoint) implements TaskOperation {
        public Report {
            Objects.requireNonNull(checkpoint, "checkpoint");
        }
    }

    /** Log the lines as errors and fail the task. */
    record Fail(List<String> lines) implements TaskOperation {
        public Fail {
            lines = List.copyOf(lines);
        }
    }

    /** Where a task stops to report to the engine. */
    enum Checkpoint {
        /** The setup task has shown what it is about to do; the engine now creates the root filesystem. */
        READY_FOR_SETUP,
        /** After {@link StartContainer}: the outcome of the start. */
        STARTED,
        /** After joining: the task holds the container's namespaces. */
        JOINED
    }
}
