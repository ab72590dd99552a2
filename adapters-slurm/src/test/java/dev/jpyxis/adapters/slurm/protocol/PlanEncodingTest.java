package dev.jpyxis.adapters.slurm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.in.StartOutcome;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.plan.ContainerMount;
import dev.jpyxis.domain.plan.ContainerSetup;
import dev.jpyxis.domain.plan.MountFlag;
import dev.jpyxis.domain.plan.NamespaceJoin;
import dev.jpyxis.domain.plan.NamespaceKind;
import dev.jpyxis.domain.plan.TaskOperation;
import dev.jpyxis.domain.plan.TaskOperation.Checkpoint;
import dev.jpyxis.domain.plan.TaskPlan;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The plan fields must be exactly what the shim's interpreter (plan.c) reads. */
class PlanEncodingTest {

    private static List<String> fields(TaskPlan plan) {
        return PlanEncoding.encode(plan).fields().stream().map(f -> f.key() + "=" + f.value()).toList();
    }

    @Test
    void everyOperation() {
        TaskPlan plan = TaskPlan.of(
                new TaskOperation.Log(Diagnostic.user("pyxis: imported docker image: u")),
                new TaskOperation.StartContainer(List.of("/usr/bin/enroot", "start", "x"), Environment.of("A", "1")),
                new TaskOperation.Report(Checkpoint.STARTED));
        assertEquals(List.of("msg=plan", "op=log", "level=user", "text=pyxis: imported docker image: u", "op=start",
                "argv=/usr/bin/enroot", "argv=start", "argv=x", "env=A=1", "op=report", "checkpoint=started"),
                fields(plan));
        TaskPlan join = TaskPlan.of(
                new TaskOperation.SetVariable("PATH", "/bin"), new TaskOperation.UnsetVariable("LANG"),
                new TaskOperation.JoinNamespaces(42, List.of(NamespaceJoin.of(NamespaceKind.USER),
                        NamespaceJoin.of(NamespaceKind.MNT))),
                new TaskOperation.ChangeDirectory("/w", "pyxis: couldn't chdir to /w"),
                new TaskOperation.InstallSeccompFilter("pyxis: seccomp filter failed"),
                new TaskOperation.ResumeContainer(42, "pyxis: couldn't send SIGCONT to container process"),
                new TaskOperation.Report(Checkpoint.JOINED), new TaskOperation.Fail(List.of("a", "b")));
        assertEquals(List.of("msg=plan", "op=setenv", "name=PATH", "value=/bin", "op=unsetenv", "name=LANG", "op=join",
                "pid=42", "ns=user", "open_fail=pyxis: unable to open user namespace file",
                "join_fail=pyxis: couldn't join user namespace", "ns=mnt",
                "open_fail=pyxis: unable to open mount namespace file", "join_fail=pyxis: couldn't join mount namespace",
                "op=chdir", "path=/w", "fail=pyxis: couldn't chdir to /w", "op=seccomp",
                "fail=pyxis: seccomp filter failed", "op=resume", "pid=42",
                "fail=pyxis: couldn't send SIGCONT to container process", "op=report", "checkpoint=joined", "op=fail",
                "line=a", "line=b"), fields(join));
    }

    @Test
    void theSetupInTheContainerFollowsTheStart() {
        TaskPlan plan = TaskPlan.of(new TaskOperation.StartContainer(List.of("/usr/bin/ch-run", "x"),
                Environment.empty(), List.of(
                        new ContainerSetup.Join(NamespaceJoin.ownerOf(NamespaceKind.NET)),
                        new ContainerSetup.LoopbackUp("pyxis: lo"),
                        new ContainerSetup.Join(NamespaceJoin.of(NamespaceKind.MNT)),
                        new ContainerMount.Call("", "/d", "", EnumSet.of(MountFlag.REMOUNT, MountFlag.BIND,
                                MountFlag.RDONLY), "", true, "pyxis: ro"),
                        new ContainerMount.Call("tmpfs", "/s", "tmpfs", EnumSet.noneOf(MountFlag.class), "size=1m",
                                false, "pyxis: tmpfs"),
                        new ContainerMount.Detach("/u", "pyxis: umount"))));
        assertEquals(List.of("msg=plan", "op=start", "argv=/usr/bin/ch-run", "argv=x",
                "in_ns=user@net", "in_open_fail=pyxis: unable to open the user namespace owning the network namespace",
                "in_join_fail=pyxis: couldn't join the user namespace owning the network namespace", "lo_up=pyxis: lo",
                "in_ns=mnt", "in_open_fail=pyxis: unable to open mount namespace file",
                "in_join_fail=pyxis: couldn't join mount namespace",
                "mnt_src=", "mnt_dst=/d", "mnt_type=", "mnt_flag=RDONLY", "mnt_flag=REMOUNT", "mnt_flag=BIND",
                "mnt_data=", "mnt_keep=1", "mnt_fail=pyxis: ro",
                "mnt_src=tmpfs", "mnt_dst=/s", "mnt_type=tmpfs", "mnt_data=size=1m", "mnt_keep=0",
                "mnt_fail=pyxis: tmpfs", "umnt_dst=/u", "umnt_fail=pyxis: umount"), fields(plan));
        assertEquals(Optional.of(new StartOutcome.Unprepared(7, "pyxis: ro: Permission denied", List.of())),
                PlanEncoding.startOutcome(Message.builder("report").add("checkpoint", "started")
                        .add("outcome", "unprepared").add("reason", "pyxis: ro: Permission denied").add("pid", 7)
                        .build()));
    }

    @Test
    void reportsOfEveryOutcome() {
        assertEquals(Optional.of(new StartOutcome.Stopped(7, List.of("l1", "l2"))), PlanEncoding.startOutcome(
                Message.builder("report").add("checkpoint", "started").add("outcome", "stopped").add("pid", 7)
                        .add("log", "l1").add("log", "l2").build()));
        assertEquals(Optional.of(new StartOutcome.Exited(3, List.of())), PlanEncoding.startOutcome(
                Message.builder("report").add("checkpoint", "started").add("outcome", "exited").add("code", 3).build()));
        assertEquals(Optional.of(new StartOutcome.Killed(9, List.of())), PlanEncoding.startOutcome(
                Message.builder("report").add("checkpoint", "started").add("outcome", "killed").add("signal", 9)
                        .build()));
        assertEquals(Optional.of(new StartOutcome.NotStarted("EAGAIN", List.of())), PlanEncoding.startOutcome(
                Message.builder("report").add("checkpoint", "started").add("outcome", "not_started")
                        .add("reason", "EAGAIN").build()));
        assertEquals(Optional.of(new StartOutcome.WaitFailed("EINTR", List.of())), PlanEncoding.startOutcome(
                Message.builder("report").add("checkpoint", "started").add("outcome", "wait_failed")
                        .add("reason", "EINTR").build()));
        Message joined = Message.builder("report").add("checkpoint", "joined").build();
        assertEquals(Checkpoint.JOINED, PlanEncoding.checkpoint(joined));
        assertEquals(Optional.empty(), PlanEncoding.startOutcome(joined));
        assertEquals(Checkpoint.READY_FOR_SETUP,
                PlanEncoding.checkpoint(Message.builder("report").add("checkpoint", "ready").build()));
    }

    @Test
    void unknownReportsAreProtocolErrors() {
        assertThrows(ProtocolException.class, () -> PlanEncoding.checkpoint(
                Message.builder("report").add("checkpoint", "done").build()));
        assertThrows(ProtocolException.class, () -> PlanEncoding.startOutcome(
                Message.builder("report").add("checkpoint", "started").add("outcome", "weird").build()));
        assertThrows(ProtocolException.class, () -> PlanEncoding.startOutcome(
                Message.builder("report").add("checkpoint", "started").add("outcome", "stopped").build()));
    }

    @Test
    void logsOnTheControlChannel() {
        Message answer = PlanEncoding.addLogs(Message.builder("task_exit").add("status", "ok"),
                List.of(Diagnostic.info("i"), Diagnostic.error("e"), Diagnostic.verbose("v"), Diagnostic.debug("d")))
                .build();
        assertEquals(List.of("msg=task_exit", "status=ok", "log.info=i", "log.error=e", "log.verbose=v",
                "log.debug=d"), answer.fields().stream().map(f -> f.key() + "=" + f.value()).toList());
    }
}
