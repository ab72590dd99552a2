package dev.jpyxis.simulator.slurm;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.in.StartOutcome;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.Severity;
import dev.jpyxis.domain.plan.NamespaceJoin;
import dev.jpyxis.domain.plan.NamespaceKind;
import dev.jpyxis.domain.plan.TaskOperation;
import dev.jpyxis.domain.plan.TaskPlan;
import dev.jpyxis.domain.port.out.ContainerLaunch;
import dev.jpyxis.domain.port.out.ContainerProcesses.InspectionException;
import dev.jpyxis.simulator.node.SimulatedKernel;
import dev.jpyxis.simulator.node.SimulatedNode;
import dev.jpyxis.simulator.node.DiskFiles;
import dev.jpyxis.simulator.report.TimelineEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One task of a step on a simulated node, playing the native shim: it executes plan segments operation by operation
 * against the simulated kernel, then runs the user's command in whatever namespaces it ended up in.
 */
final class SimulatedTask {

    /** How the task's {@code task_init} ended, when it has. */
    enum End { EXEC, FAILED, KILLED, TERMINATED }

    final SimulatedNode node;
    final int localId;
    final int globalId;
    final SimulatedKernel.Process process;
    final List<String> stdout = new ArrayList<>();
    final List<String> stderr;
    End end;
    int exitCode;
    boolean seccomp;

    SimulatedTask(SimulatedNode node, int localId, int globalId, SimulatedKernel.Process process,
            List<String> stderr) {
        this.node = node;
        this.localId = localId;
        this.globalId = globalId;
        this.process = process;
        this.stderr = stderr;
    }

    /** A report the segment ended with: its checkpoint and, after a start, the outcome. */
    record Report(TaskOperation.Checkpoint checkpoint, Optional<StartOutcome> outcome) {
    }

    /** Executes one plan segment; returns its report if it ends with one. */
    Optional<Report> execute(TaskPlan plan, String stepTag) {
        Optional<StartOutcome> started = Optional.empty();
        for (TaskOperation operation : plan.operations()) {
            if (operation instanceof TaskOperation.Log log) {
                log(log.diagnostic().severity(), log.diagnostic().text(), stepTag);
            } else if (operation instanceof TaskOperation.StartContainer start) {
                StartOutcome outcome = node.runtime().launch(new ContainerLaunch(start.argv(), start.environment(),
                        List.of()), process.uid(), process.cwd());
                node.log(stepTag, globalId, outcome instanceof StartOutcome.Stopped ? TimelineEvent.Kind.CONTAINER_STARTED
                        : TimelineEvent.Kind.CONTAINER_NOT_STARTED, "task " + globalId + " " + describe(outcome));
                started = Optional.of(outcome);
            } else if (operation instanceof TaskOperation.JoinNamespaces join) {
                Optional<SimulatedKernel.Process> target = node.kernel().process(join.pid());
                if (target.isEmpty()) {
                    return fail(join.joins().get(0).openFailure() + ": No such file or directory", stepTag);
                }
                for (NamespaceJoin namespace : join.joins()) {
                    process.join(namespace.kind(), target.get().namespace(namespace.kind()));
                }
                process.uidMap(target.get().uidMap());
                if (join.joins().stream().anyMatch(namespace -> namespace.kind() == NamespaceKind.MNT)) {
                    // setns into a mount namespace resets root and working directory to that namespace's root
                    process.cwd("/");
                }
                node.log(stepTag, globalId, TimelineEvent.Kind.JOINED, "task " + globalId + " joined the namespaces of pid "
                        + join.pid());
            } else if (operation instanceof TaskOperation.ChangeDirectory chdir) {
                Path directory = view(chdir.path()).path();
                if (!Files.isDirectory(directory)) {
                    return fail(chdir.failure() + ": No such file or directory", stepTag);
                }
                process.cwd(absolute(chdir.path()));
            } else if (operation instanceof TaskOperation.SetVariable set) {
                process.environment(process.environment().with(set.name(), set.value()));
            } else if (operation instanceof TaskOperation.UnsetVariable unset) {
                process.environment(process.environment().without(unset.name()));
            } else if (operation instanceof TaskOperation.InstallSeccompFilter) {
                seccomp = true;
            } else if (operation instanceof TaskOperation.ResumeContainer resume) {
                try {
                    node.kernel().resume(resume.pid());
                    node.log(stepTag, globalId, TimelineEvent.Kind.RELEASED, "task " + globalId
                            + " released the container's first process");
                } catch (InspectionException e) {
                    return fail(resume.failure() + ": " + e.getMessage(), stepTag);
                }
            } else if (operation instanceof TaskOperation.Report report) {
                return Optional.of(new Report(report.checkpoint(), started));
            } else if (operation instanceof TaskOperation.Fail fail) {
                fail.lines().forEach(line -> {
                    stderr.add("slurmstepd-" + node.name() + ": error: " + line);
                    node.log(stepTag, globalId, TimelineEvent.Kind.TASK_FAILED, "task " + globalId + " failed: " + line);
                });
                return taskInitFailed();
            }
        }
        end = End.EXEC;
        return Optional.empty();
    }

    private Optional<Report> fail(String line, String stepTag) {
        stderr.add("slurmstepd-" + node.name() + ": error: " + line);
        node.log(stepTag, globalId, TimelineEvent.Kind.TASK_FAILED, "task " + globalId + " failed: " + line);
        return taskInitFailed();
    }

    /** What slurmstepd adds when a required plugin's {@code task_init} fails, as a real node prints it. */
    private Optional<Report> taskInitFailed() {
        stderr.add("slurmstepd-" + node.name() + ": error: spank: required plugin spank_pyxis.so: task_init() failed"
                + " with rc=-1");
        stderr.add("slurmstepd-" + node.name() + ": error: Failed to invoke spank plugin stack");
        end = End.FAILED;
        return Optional.empty();
    }

    /** A line the engine shows while this task waits for its plan (a keep-alive's log line), logged as the shim does. */
    void show(Diagnostic line, String stepTag) {
        log(line.severity(), line.text(), stepTag);
    }

    private void log(Severity severity, String text, String stepTag) {
        switch (severity) {
            case ERROR -> stderr.add("slurmstepd-" + node.name() + ": error: " + text);
            case USER -> stderr.add(text);
            default -> { }
        }
        node.message(stepTag, globalId, severity, severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + text);
    }

    /** What the start of the container's first process came to, in words, with what the runtime printed. */
    static String describe(StartOutcome outcome) {
        String words;
        if (outcome instanceof StartOutcome.Stopped stopped) {
            return "started the container: pid " + stopped.pid() + " stopped itself";
        } else if (outcome instanceof StartOutcome.Exited exited) {
            words = "could not start the container: its first process exited with status " + exited.code();
        } else if (outcome instanceof StartOutcome.Killed killed) {
            words = "could not start the container: its first process was killed by signal " + killed.signal();
        } else if (outcome instanceof StartOutcome.NotStarted notStarted) {
            words = "could not start the container: the runtime did not run (" + notStarted.reason() + ")";
        } else if (outcome instanceof StartOutcome.Unprepared unprepared) {
            words = "could not start the container: " + unprepared.reason();
        } else {
            words = "could not start the container: waiting for its first process failed ("
                    + ((StartOutcome.WaitFailed) outcome).reason() + ")";
        }
        return outcome.log().isEmpty() ? words : words + ": " + String.join(" / ", outcome.log());
    }

    /** A path of the task's view made absolute against its working directory, normalised. */
    private String absolute(String path) {
        String absolute = path.startsWith("/") ? path : process.cwd() + "/" + path;
        return node.root().getFileSystem().getPath("/").resolve(absolute).normalize().toString();
    }

    SimulatedKernel.Location view(String path) {
        return node.kernel().locate(process, path);
    }

    /** Runs the user's command: a few shell built-ins and utilities, enough for scenarios to observe the task. */
    void run(List<String> argv) {
        if (argv.size() >= 3 && (argv.get(0).equals("sh") || argv.get(0).equals("bash")) && argv.get(1).equals("-c")) {
            for (String part : argv.get(2).split(";")) {
                List<String> words = CommandLine.words(part.trim());
                if (!words.isEmpty()) {
                    exitCode = command(words);
                    if (words.get(0).equals("exit")) {
                        break;
                    }
                }
            }
        } else if (!argv.isEmpty()) {
            exitCode = command(argv);
        }
    }

    private int command(List<String> words) {
        List<String> args = new ArrayList<>();
        String redirect = null;
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).equals(">") && i + 1 < words.size()) {
                redirect = words.get(++i);
            } else {
                args.add(expand(words.get(i)));
            }
        }
        List<String> out = new ArrayList<>();
        int code = switch (args.get(0)) {
            case "true" -> 0;
            case "false" -> 1;
            case "exit" -> exitStatus(args);
            case "echo" -> {
                out.add(String.join(" ", args.subList(1, args.size())));
                yield 0;
            }
            case "pwd" -> {
                out.add(process.cwd());
                yield 0;
            }
            case "id" -> {
                out.add(process.uidMap().split(" ")[0]);
                yield 0;
            }
            case "printenv" -> {
                Optional<String> value = process.environment().get(args.size() > 1 ? args.get(1) : "");
                value.ifPresent(out::add);
                yield value.isPresent() ? 0 : 1;
            }
            case "cat" -> cat(args.subList(1, args.size()), out);
            case "touch" -> write(args.get(1), "") ? 0 : 1;
            default -> {
                stderr.add(args.get(0) + ": command not found");
                yield 127;
            }
        };
        if (redirect != null) {
            return write(redirect, String.join("\n", out) + (out.isEmpty() ? "" : "\n")) ? code : 1;
        }
        stdout.addAll(out);
        return code;
    }

    private int exitStatus(List<String> args) {
        if (args.size() < 2) {
            return 0;
        }
        try {
            return Integer.parseInt(args.get(1)) & 0xff;
        } catch (NumberFormatException e) {
            stderr.add("sh: exit: Illegal number: " + args.get(1));
            return 2;
        }
    }

    private int cat(List<String> files, List<String> out) {
        int code = 0;
        for (String file : files) {
            try {
                String content = Files.readString(view(file).path(), StandardCharsets.UTF_8);
                if (!content.isEmpty()) {
                    // an empty file prints nothing, not an empty line
                    out.addAll(List.of(content.split("\n")));
                }
            } catch (IOException e) {
                stderr.add("cat: " + file + ": No such file or directory");
                code = 1;
            }
        }
        return code;
    }

    private boolean write(String file, String content) {
        SimulatedKernel.Location location = view(file);
        if (!location.writable()) {
            stderr.add("sh: can't create " + file + ": Read-only file system");
            return false;
        }
        try {
            DiskFiles.directory(location.path().getParent());
            Files.writeString(location.path(), content, StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            stderr.add("sh: can't create " + file + ": " + e.getMessage());
            return false;
        }
    }

    private String expand(String word) {
        if (!word.contains("$")) {
            return word;
        }
        StringBuilder result = new StringBuilder();
        Environment env = process.environment();
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c == '$' && i + 1 < word.length()) {
                int end = i + 1;
                boolean braces = word.charAt(end) == '{';
                int start = braces ? end + 1 : end;
                end = start;
                while (end < word.length() && (Character.isLetterOrDigit(word.charAt(end)) || word.charAt(end) == '_')) {
                    end++;
                }
                result.append(env.get(word.substring(start, end)).orElse(""));
                i = braces ? end : end - 1;
            } else {
                result.append(c);
            }
        }
        return result.toString();
    }

}
