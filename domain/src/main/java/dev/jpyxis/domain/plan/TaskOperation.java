package dev.jpyxis.domain.plan;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import java.util.List;
import java.util.Objects;

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
     * <p>Once it has stopped, a child process of the task performs the {@code setup} steps in it (joining its
     * namespaces, then mounting, for instance); the start counts as failed if one fails. They are done before the
     * outcome is reported, so no task joins a container that is not ready.
     */
    record StartContainer(List<String> argv, Environment environment, List<ContainerSetup> setup)
            implements TaskOperation {
        public StartContainer {
            argv = List.copyOf(argv);
            Objects.requireNonNull(environment, "environment");
            setup = List.copyOf(setup);
            if (argv.isEmpty() || !argv.get(0).startsWith("/")) {
                throw new IllegalArgumentException("the program must be given by absolute path: " + argv);
            }
            if (!setup.isEmpty() && !(setup.get(0) instanceof ContainerSetup.Join)) {
                throw new IllegalArgumentException("the setup in a container begins by joining it: " + setup);
            }
        }

        public StartContainer(List<String> argv, Environment environment) {
            this(argv, environment, List.of());
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
