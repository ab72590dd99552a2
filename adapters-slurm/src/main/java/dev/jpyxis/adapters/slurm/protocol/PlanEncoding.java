package dev.jpyxis.adapters.slurm.protocol;

import dev.jpyxis.domain.port.in.StartOutcome;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.plan.ContainerMount;
import dev.jpyxis.domain.plan.ContainerSetup;
import dev.jpyxis.domain.plan.NamespaceJoin;
import dev.jpyxis.domain.plan.TaskOperation;
import dev.jpyxis.domain.plan.TaskOperation.Checkpoint;
import dev.jpyxis.domain.plan.TaskPlan;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Task plans to messages and task reports from messages, as the native shim's plan interpreter expects them. */
public final class PlanEncoding {

    private PlanEncoding() {
    }

    public static Message encode(TaskPlan plan) {
        Message.Builder message = Message.builder("plan");
        for (TaskOperation operation : plan.operations()) {
            encode(message, operation);
        }
        return message.build();
    }

    private static void encode(Message.Builder message, TaskOperation operation) {
        if (operation instanceof TaskOperation.Log log) {
            message.add("op", "log").add("level", level(log.diagnostic())).add("text", log.diagnostic().text());
        } else if (operation instanceof TaskOperation.StartContainer start) {
            message.add("op", "start").addAll("argv", start.argv()).addAll("env", start.environment().entries());
            start.setup().forEach(step -> encode(message, step));
        } else if (operation instanceof TaskOperation.JoinNamespaces join) {
            message.add("op", "join").add("pid", join.pid());
            for (NamespaceJoin namespace : join.joins()) {
                message.add("ns", namespace.protocolName()).add("open_fail", namespace.openFailure())
                        .add("join_fail", namespace.joinFailure());
            }
        } else if (operation instanceof TaskOperation.ChangeDirectory chdir) {
            message.add("op", "chdir").add("path", chdir.path()).add("fail", chdir.failure());
        } else if (operation instanceof TaskOperation.SetVariable set) {
            message.add("op", "setenv").add("name", set.name()).add("value", set.value());
        } else if (operation instanceof TaskOperation.UnsetVariable unset) {
            message.add("op", "unsetenv").add("name", unset.name());
        } else if (operation instanceof TaskOperation.InstallSeccompFilter seccomp) {
            message.add("op", "seccomp").add("fail", seccomp.failure());
        } else if (operation instanceof TaskOperation.ResumeContainer resume) {
            message.add("op", "resume").add("pid", resume.pid()).add("fail", resume.failure());
        } else if (operation instanceof TaskOperation.Report report) {
            message.add("op", "report").add("checkpoint", checkpoint(report.checkpoint()));
        } else if (operation instanceof TaskOperation.Fail fail) {
            message.add("op", "fail").addAll("line", fail.lines());
        } else {
            throw new IllegalArgumentException("unknown operation " + operation);
        }
    }

    private static void encode(Message.Builder message, ContainerSetup step) {
        if (step instanceof ContainerSetup.Join join) {
            message.add("in_ns", join.namespace().protocolName())
                    .add("in_open_fail", join.namespace().openFailure())
                    .add("in_join_fail", join.namespace().joinFailure());
        } else if (step instanceof ContainerSetup.LoopbackUp loopback) {
            message.add("lo_up", loopback.failure());
        } else if (step instanceof ContainerMount.Call call) {
            message.add("mnt_src", call.source()).add("mnt_dst", call.target()).add("mnt_type", call.type());
            call.flags().stream().sorted().forEach(flag -> message.add("mnt_flag", flag.name()));
            message.add("mnt_data", call.data()).add("mnt_keep", call.keepLockedFlags() ? "1" : "0")
                    .add("mnt_fail", call.failure());
        } else if (step instanceof ContainerMount.Detach detach) {
            message.add("umnt_dst", detach.target()).add("umnt_fail", detach.failure());
        }
    }

    /** The level name the shim logs a diagnostic at. */
    public static String level(Diagnostic diagnostic) {
        return diagnostic.severity().name().toLowerCase(Locale.ROOT);
    }

    static String checkpoint(Checkpoint checkpoint) {
        return switch (checkpoint) {
            case READY_FOR_SETUP -> "ready";
            case STARTED -> "started";
            case JOINED -> "joined";
        };
    }

    public static Checkpoint checkpoint(Message report) {
        String name = report.require("checkpoint");
        return switch (name) {
            case "ready" -> Checkpoint.READY_FOR_SETUP;
            case "started" -> Checkpoint.STARTED;
            case "joined" -> Checkpoint.JOINED;
            default -> throw new ProtocolException("unknown checkpoint " + name);
        };
    }

    /** The start outcome a {@code started} report carries. */
    public static Optional<StartOutcome> startOutcome(Message report) {
        if (checkpoint(report) != Checkpoint.STARTED) {
            return Optional.empty();
        }
        List<String> log = report.all("log");
        String outcome = report.require("outcome");
        return Optional.of(switch (outcome) {
            case "stopped" -> new StartOutcome.Stopped(report.requireLong("pid"), log);
            case "exited" -> new StartOutcome.Exited((int) report.requireLong("code"), log);
            case "killed" -> new StartOutcome.Killed((int) report.requireLong("signal"), log);
            case "not_started" -> new StartOutcome.NotStarted(report.require("reason"), log);
            case "wait_failed" -> new StartOutcome.WaitFailed(report.require("reason"), log);
            case "unprepared" -> new StartOutcome.Unprepared(report.requireLong("pid"), report.require("reason"), log);
            default -> throw new ProtocolException("unknown start outcome " + outcome);
        });
    }

    /** Adds each diagnostic as a {@code log.<level>} field, for answers on the control channel. */
    public static Message.Builder addLogs(Message.Builder message, List<Diagnostic> diagnostics) {
        diagnostics.forEach(d -> message.add("log." + level(d), d.text()));
        return message;
    }
}
