package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.in.Delivery;
import dev.jpyxis.domain.port.in.StartOutcome;
import dev.jpyxis.domain.port.in.HookOutcome;
import dev.jpyxis.domain.port.out.OwnershipRecord;

import static dev.jpyxis.domain.internal.lifecycle.Steps.options;
import static dev.jpyxis.domain.internal.lifecycle.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.internal.option.ContainerOptions;
import dev.jpyxis.domain.plan.ContainerMount;
import dev.jpyxis.domain.plan.ContainerSetup;
import dev.jpyxis.domain.plan.MountFlag;
import dev.jpyxis.domain.plan.NamespaceJoin;
import dev.jpyxis.domain.plan.NamespaceKind;
import dev.jpyxis.domain.plan.TaskOperation;
import dev.jpyxis.domain.plan.TaskOperation.Checkpoint;
import dev.jpyxis.domain.internal.step.StepContext;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import dev.jpyxis.domain.port.out.RuntimeFeature;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("one step on one node")
class NodeStepTest {

    private final FakeNode node = new FakeNode();

    private TaskShimDouble run(PluginConfig config, StepContext step, ContainerOptions options) {
        TaskShimDouble.Terminal terminal = new TaskShimDouble.Terminal();
        return new TaskShimDouble(new NodeStep(step, config, node.ports(config.importer().isPresent()),
                Steps.DAEMON_PATH, Steps.prepare(node, config, step, options), Steps.progress(terminal)),
                step.localTaskCount(), terminal);
    }

    /** Arrives every task in order and answers every report until nothing more happens. */
    private static void runToEnd(TaskShimDouble shim) {
        for (int task = 0; task < shim.localTasks; task++) {
            shim.arrive(task);
        }
        while (!shim.awaitingReport.isEmpty()) {
            shim.report(shim.awaitingReport.keySet().iterator().next());
        }
    }

    private static List<TaskOperation> ops(TaskShimDouble shim, int task) {
        return shim.executed.get(task);
    }

    private static List<String> logged(TaskShimDouble shim, int task) {
        return ops(shim, task).stream().filter(op -> op instanceof TaskOperation.Log)
                .map(op -> ((TaskOperation.Log) op).diagnostic().text()).toList();
    }

    @Nested
    @DisplayName("the setup task")
    class Setup {
        @Test
        @DisplayName("registry image, single task: 'importing' shown before the import, then 'imported'")
        void importMessages() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=ubuntu"));
            shim.arrive(0);
            assertEquals(List.of(new TaskOperation.Log(Diagnostic.user("pyxis: importing docker image: ubuntu")),
                    new TaskOperation.Report(Checkpoint.READY_FOR_SETUP)), ops(shim, 0));
            assertEquals(0, node.count("import"), "nothing is imported before the user has been told");
            shim.report(0);
            assertEquals(List.of("import docker://ubuntu /run/pyxis/1000/12.3.squashfs",
                    "create pyxis_12.3 /run/pyxis/1000/12.3.squashfs", "delete /run/pyxis/1000/12.3.squashfs",
                    "prepare pyxis_12.3"), node.journal);
            assertEquals(List.of("pyxis: importing docker image: ubuntu", "pyxis: imported docker image: ubuntu",
                    "pyxis: creating container filesystem: pyxis_12.3", "pyxis: completed container setup in 1 ms",
                    "pyxis: starting container: pyxis_12.3"), logged(shim, 0));
        }

        @Test
        @DisplayName("the runtime's own lines (each command it runs, the start script) reach the setup task in order")
        void runtimeCommandLines() {
            node.reportsCommands = true;
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=ubuntu"));
            shim.arrive(0);
            shim.report(0);
            assertEquals(List.of("pyxis: importing docker image: ubuntu",
                    "pyxis: running fake command: \"import docker://ubuntu /run/pyxis/1000/12.3.squashfs\"",
                    "pyxis: imported docker image: ubuntu", "pyxis: creating container filesystem: pyxis_12.3",
                    "pyxis: running fake command: \"create pyxis_12.3 /run/pyxis/1000/12.3.squashfs\"",
                    "pyxis: completed container setup in 1 ms", "pyxis: starting container: pyxis_12.3",
                    "pyxis: running fake command: \"prepare pyxis_12.3\""), logged(shim, 0));
        }

        @Test
        @DisplayName("multi-task step: the setup task announces the import with the node's name (pyxis says nothing),"
                + " then 'imported' as pyxis")
        void multiTaskImport() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 2), options("--container-image=ubuntu"));
            shim.arrive(1);
            assertEquals(List.of(new TaskOperation.Log(Diagnostic.user(
                    "pyxis: importing docker image: ubuntu (node node7)")),
                    new TaskOperation.Report(Checkpoint.READY_FOR_SETUP)), ops(shim, 1));
            shim.report(1);
            assertTrue(ops(shim, 1).stream().anyMatch(op -> op instanceof TaskOperation.StartContainer));
            assertEquals(List.of("pyxis: importing docker image: ubuntu (node node7)",
                    "pyxis: imported docker image: ubuntu"), logged(shim, 1).stream()
                    .filter(l -> l.contains("docker image")).toList());
        }

        @Test
        @DisplayName("the start command runs with the runtime environment built from the setup task's environment")
        void startEnvironment() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh"));
            shim.arrive(0);
            TaskOperation.StartContainer start = (TaskOperation.StartContainer) ops(shim, 0).stream()
                    .filter(op -> op instanceof TaskOperation.StartContainer).findFirst().orElseThrow();
            assertEquals(List.of("/usr/local/bin/enroot", "start", "pyxis_12.3"), start.argv());
            Environment env = start.environment();
            assertEquals(Optional.of(Steps.DAEMON_PATH), env.get("PATH"));
            assertFalse(env.contains("SLURM_PROCID"));
            assertEquals(Optional.of("t0"), env.get("TASKVAR"));
            assertEquals(Optional.of("1000"), env.get("SLURM_JOB_UID"));
            assertEquals(ops(shim, 0).get(ops(shim, 0).size() - 1), new TaskOperation.Report(Checkpoint.STARTED));
        }

        @Test
        @DisplayName("start configuration: mounts, entrypoint, --container-env, toggles and unshare as decided")
        void startConfiguration() {
            node.separateNamespaces.add(NamespaceKind.NET);
            TaskShimDouble shim = run(PluginConfig.parse("execute_entrypoint=1"), step(12, 3, 1), options(
                    "--container-image=/u.sqsh", "--container-mounts=/data:/d:ro,tmpfs:/t", "--container-env=A,B",
                    "--container-remap-root", "--container-readonly", "--container-unshare=net"));
            runToEnd(shim);
            var start = node.lastStart;
            assertEquals("pyxis_12.3", start.target());
            assertFalse(start.fromSquashfsFile());
            assertEquals(List.of("/data /d x-create=auto,rbind,ro", "tmpfs /t x-create=dir"),
                    start.mounts().stream().map(dev.jpyxis.domain.port.out.FstabEntry::line).toList());
            assertTrue(start.executeEntrypoint());
            assertEquals(List.of("A", "B"), start.environmentNames());
            assertEquals(dev.jpyxis.domain.option.TriState.TRUE, start.remapRoot());
            assertEquals(dev.jpyxis.domain.option.TriState.FALSE, start.writable());
            assertEquals(dev.jpyxis.domain.option.TriState.UNSET, start.mountHome());
            assertEquals(java.util.Set.of(dev.jpyxis.domain.option.Namespace.NET), start.unshare());
            assertEquals(List.of("sh", "-c", "kill -STOP $$ ; exit 0"), start.command());
        }

        @Test
        @DisplayName("squashfuse: started straight from the file, released only when the last task exits, never removed")
        void directStart() {
            PluginConfig config = PluginConfig.parse("use_squashfuse=1");
            TaskShimDouble shim = run(config, step(12, 3, 2), options("--container-image=/u.sqsh"));
            runToEnd(shim);
            assertEquals("/u.sqsh", node.lastStart.target());
            assertTrue(node.lastStart.fromSquashfsFile());
            assertTrue(logged(shim, 0).contains("pyxis: skipping container creation (squashfuse enabled)"));
            assertTrue(logged(shim, 0).contains("pyxis: starting container from squashfs: /u.sqsh"));
            assertEquals(0, shim.count(TaskOperation.ResumeContainer.class));
            shim.step.taskExited(0);
            assertEquals(0, node.count("resume"), "a task still runs: the first process keeps the FUSE mounts");
            shim.step.taskExited(1);
            assertEquals(1, node.count("resume"), "no task is left: the first process may exit and unmount");
            shim.step.stepEnded();
            assertEquals(1, node.count("resume"));
            assertEquals(0, node.count("remove"));
            assertEquals(0, node.count("create"));
        }

        @Test
        @DisplayName("importer: get, create, release; the squashfs path is reported at verbose level")
        void importerCreate() {
            PluginConfig config = PluginConfig.parse("importer=/opt/importer");
            TaskShimDouble shim = run(config, step(12, 3, 2), options("--container-image=ubuntu"));
            runToEnd(shim);
            assertEquals(List.of("importer-get docker://ubuntu", "create pyxis_12.3 /cache/image.sqsh",
                    "importer-release", "prepare pyxis_12.3", "finish"), node.journal);
            shim.step.taskExited(0);
            shim.step.taskExited(1);
            assertEquals(2, node.count("importer-release"), "release also runs at cleanup (importers are idempotent)");
        }

        @Test
        @DisplayName("importer + squashfuse: the importer's file is started directly and released at the end")
        void importerDirect() {
            TaskShimDouble shim = run(PluginConfig.parse("importer=/opt/importer use_squashfuse=1"), step(12, 3, 1),
                    options("--container-image=ubuntu"));
            runToEnd(shim);
            assertEquals("/cache/image.sqsh", node.lastStart.target());
            assertTrue(logged(shim, 0).contains("pyxis: using importer squashfs directly: /cache/image.sqsh"));
            assertTrue(logged(shim, 0).stream().anyMatch(line -> line.matches(
                    "pyxis: completed container setup in \\d+ ms")), "the timing line, as pyxis logs it here too");
            assertEquals(0, node.count("importer-release"));
            shim.step.taskExited(0);
            assertEquals(1, node.count("importer-release"));
        }

        @Test
        @DisplayName("importer failures: exit code, no path; release is called")
        void importerFailures() {
            node.failing.add("importer-get");
            TaskShimDouble shim = run(PluginConfig.parse("importer=/opt/importer"), step(12, 3, 1),
                    options("--container-image=ubuntu"));
            runToEnd(shim);
            List<String> lines = shim.failureOf(0);
            assertEquals("pyxis: importer get failed with exit code 1", lines.get(0));
            assertEquals("pyxis: printing importer log file:", lines.get(1));
            assertEquals("pyxis: failed to import docker image: ubuntu (importer: /opt/importer)",
                    lines.get(lines.size() - 1));
            assertEquals(1, node.count("importer-release"));

            FakeNode other = new FakeNode();
            other.failing.add("importer-nopath");
            PluginConfig config = PluginConfig.parse("importer=/opt/importer");
            StepContext step = step(12, 4, 1);
            TaskShimDouble second = new TaskShimDouble(new NodeStep(step, config, other.ports(true), Steps.DAEMON_PATH,
                    Steps.prepare(other, config, step, options("--container-image=ubuntu"))), 1);
            runToEnd(second);
            assertEquals("pyxis: importer did not return a squashfs path", second.failureOf(0).get(0));
        }

        @Test
        @DisplayName("load mode: enroot load, no temporary file")
        void load() {
            TaskShimDouble shim = run(PluginConfig.parse("use_enroot_load=1"), step(12, 3, 2),
                    options("--container-image=ubuntu"));
            runToEnd(shim);
            assertEquals("load docker://ubuntu pyxis_12.3", node.journal.get(0));
            assertEquals(0, node.count("delete"));
        }

        @Test
        @DisplayName("start failures: each outcome's message, the entrypoint hint, the runtime's log")
        void startFailureMessages() {
            assertStartFailure(new StartOutcome.Exited(0, List.of()), "pyxis: container exited too soon");
            assertStartFailure(new StartOutcome.Killed(9, List.of()), "pyxis: container exited too soon");
            assertStartFailure(new StartOutcome.WaitFailed("Interrupted system call", List.of()),
                    "pyxis: container start error: Interrupted system call");
            assertStartFailure(new StartOutcome.NotStarted("Resource temporarily unavailable", List.of()),
                    "pyxis: fork error: Resource temporarily unavailable");
        }

        private void assertStartFailure(StartOutcome outcome, String expected) {
            FakeNode fresh = new FakeNode();
            PluginConfig config = PluginConfig.parse("execute_entrypoint=1");
            StepContext step = step(12, 3, 1);
            TaskShimDouble shim = new TaskShimDouble(new NodeStep(step, config, fresh.ports(false), Steps.DAEMON_PATH,
                    Steps.prepare(fresh, config, step, options("--container-image=/u.sqsh"))), 1);
            shim.startOutcome = outcome;
            runToEnd(shim);
            List<String> lines = shim.failureOf(0);
            assertEquals(expected, lines.get(0));
            assertTrue(lines.contains(
                    "pyxis: if the image has an unusual entrypoint, try using --no-container-entrypoint"));
            assertTrue(lines.contains("pyxis: printing enroot log file:"));
        }

        @Test
        @DisplayName("mounts the runtime leaves to jpyxis are made by the start, in the container's user and mount"
                + " namespaces")
        void mountsInsideComeWithTheStart() {
            List<ContainerMount> inside = List.of(new ContainerMount.Call("tmpfs", "/scratch", "tmpfs",
                    Set.of(MountFlag.NOSUID), "size=1G", false, "pyxis: --container-mounts: failed to mount: tmpfs at"
                    + " /scratch"));
            node.mountsInside = inside;
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh",
                    "--container-mounts=tmpfs:/scratch:nosuid+size=1G"));
            runToEnd(shim);
            TaskOperation.StartContainer start = ops(shim, 0).stream()
                    .filter(op -> op instanceof TaskOperation.StartContainer)
                    .map(op -> (TaskOperation.StartContainer) op).findFirst().orElseThrow();
            assertEquals(List.of(new ContainerSetup.Join(NamespaceJoin.of(NamespaceKind.USER)),
                    new ContainerSetup.Join(NamespaceJoin.of(NamespaceKind.MNT)), inside.get(0)), start.setup());
            node.mountsInside = List.of();
            TaskShimDouble plain = run(PluginConfig.defaults(), step(12, 4, 1), options("--container-image=/u.sqsh"));
            runToEnd(plain);
            assertTrue(ops(plain, 0).contains(new TaskOperation.StartContainer(List.of("/usr/local/bin/enroot",
                    "start", "pyxis_12.4"), ops(plain, 0).stream().filter(op -> op instanceof TaskOperation.StartContainer)
                    .map(op -> ((TaskOperation.StartContainer) op).environment()).findFirst().orElseThrow())),
                    "nothing to join when nothing is mounted inside");
        }

        @Test
        @DisplayName("a mount that fails inside the container: its first process is let go, every task fails with"
                + " the reason")
        void mountInsideFails() {
            node.mountsInside = List.of(new ContainerMount.Detach("/dev/shm", "pyxis: --container-mounts: failed to"
                    + " unmount: /dev/shm"));
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 2), options("--container-image=/u.sqsh",
                    "--container-mounts=umount:/dev/shm"));
            shim.startOutcome = new StartOutcome.Unprepared(4242, "pyxis: --container-mounts: failed to unmount:"
                    + " /dev/shm: Invalid argument", List.of());
            runToEnd(shim);
            assertEquals(List.of("pyxis: --container-mounts: failed to unmount: /dev/shm: Invalid argument",
                    NodeStep.NOT_STARTED), shim.failureOf(0));
            assertEquals(List.of(NodeStep.NOT_STARTED), shim.failureOf(1));
            assertTrue(node.journal.contains("resume 4242"), node.journal.toString());
            assertEquals(NodeStep.Phase.NOT_STARTED, shim.step.phase());
        }

        @Test
        @DisplayName("the entrypoint's output is shown with --container-entrypoint --container-entrypoint-log")
        void entrypointLog() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh",
                    "--container-entrypoint", "--container-entrypoint-log"));
            runToEnd(shim);
            assertTrue(ops(shim, 0).contains(new TaskOperation.Log(Diagnostic.user("enroot says hello"))));
            TaskShimDouble quiet = run(PluginConfig.defaults(), step(12, 4, 1), options("--container-image=/u.sqsh",
                    "--container-entrypoint-log"));
            runToEnd(quiet);
            assertFalse(ops(quiet, 0).contains(new TaskOperation.Log(Diagnostic.user("enroot says hello"))));
        }
    }

    @Nested
    @DisplayName("joining")
    class Joining {
        @Test
        @DisplayName("each task: its environment merged with the container's, then join, cwd, seccomp")
        void joinPlan() {
            node.containerEnvironment = Environment.of("PATH", "/usr/bin", "IMAGEVAR", "i");
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 2), options("--container-image=/u.sqsh"));
            runToEnd(shim);
            List<TaskOperation> ops = ops(shim, 0);
            assertEquals(List.of(new TaskOperation.UnsetVariable("LANG"), new TaskOperation.SetVariable("PATH",
                    "/usr/bin"), new TaskOperation.SetVariable("IMAGEVAR", "i"), new TaskOperation.JoinNamespaces(4242,
                    List.of(NamespaceJoin.of(NamespaceKind.USER), NamespaceJoin.of(NamespaceKind.CGROUP),
                            NamespaceJoin.of(NamespaceKind.MNT))), new TaskOperation.ChangeDirectory("/workspace",
                    "pyxis: couldn't chdir to container cwd /workspace"), new TaskOperation.InstallSeccompFilter(
                    "pyxis: seccomp filter failed"), new TaskOperation.Report(Checkpoint.JOINED)),
                    ops.subList(ops.size() - 7, ops.size()));
        }

        @Test
        @DisplayName("a single task: its joins and the release in one segment, no joined report")
        void singleTaskReleasesInItsJoinSegment() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh"));
            runToEnd(shim);
            List<TaskOperation> ops = ops(shim, 0);
            assertEquals(List.of(new TaskOperation.InstallSeccompFilter("pyxis: seccomp filter failed"),
                    new TaskOperation.ResumeContainer(4242, "pyxis: couldn't send SIGCONT to container process")),
                    ops.subList(ops.size() - 2, ops.size()));
            assertFalse(shim.events.stream().anyMatch(event -> event.endsWith(" JOINED")), shim.events.toString());
            assertEquals(TaskShimDouble.End.EXEC, shim.ends.get(0));
            assertEquals(0, node.count("resume"));
        }

        @Test
        @DisplayName("a single task's connection closes (it runs the command, or a join failed before the release):"
                + " the first process is resumed once more, as for a task lost while joining")
        void theReleasingTasksGoingResumesAgain() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh"));
            runToEnd(shim);
            shim.step.taskLost(0);
            assertEquals(List.of("resume 4242"), node.journal().stream().filter(e -> e.startsWith("resume")).toList());
            shim.step.taskLost(0);
            assertEquals(1, node.count("resume"), "once");
        }

        @Test
        @DisplayName("a single task of a container started in place: no report after its joins, nothing resumed before"
                + " it exits")
        void singleTaskInPlace() {
            TaskShimDouble shim = run(PluginConfig.parse("use_squashfuse=1"), step(12, 3, 1),
                    options("--container-image=/u.sqsh"));
            runToEnd(shim);
            List<TaskOperation> ops = ops(shim, 0);
            assertEquals(new TaskOperation.InstallSeccompFilter("pyxis: seccomp filter failed"),
                    ops.get(ops.size() - 1));
            assertEquals(TaskShimDouble.End.EXEC, shim.ends.get(0));
            shim.step.taskLost(0);
            assertEquals(0, node.count("resume"), "the first process keeps the FUSE mounts while the task runs");
            shim.step.taskExited(0);
            assertEquals(1, node.count("resume"));
        }

        @Test
        @DisplayName("--container-workdir replaces the container's cwd")
        void workdir() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh",
                    "--container-workdir=/data"));
            runToEnd(shim);
            assertTrue(ops(shim, 0).contains(new TaskOperation.ChangeDirectory("/data",
                    "pyxis: couldn't chdir to /data")));
        }

        @Test
        @DisplayName("attaching: namespaces of the running container, env and cwd of the fresh process")
        void attach() {
            node.containers.put("pyxis_dev", OptionalLong.of(777));
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-name=dev"));
            runToEnd(shim);
            assertEquals(0, node.count("create"));
            TaskOperation.JoinNamespaces join = (TaskOperation.JoinNamespaces) shim
                    .operationsOf(0, TaskOperation.JoinNamespaces.class).get(0);
            assertEquals(777, join.pid());
            assertTrue(shim.operationsOf(0, TaskOperation.ResumeContainer.class).contains(
                    new TaskOperation.ResumeContainer(4242, "pyxis: couldn't send SIGCONT to container process")));
        }

        @Test
        @DisplayName("privileged root: no user namespace, no seccomp filter")
        void privileged() {
            StepContext root = step(12, 3, 1, 1, 0, Environment.of("ENROOT_ALLOW_SUPERUSER", "yes"));
            TaskShimDouble shim = run(PluginConfig.defaults(), root, options("--container-image=/u.sqsh"));
            runToEnd(shim);
            TaskOperation.JoinNamespaces join = (TaskOperation.JoinNamespaces) shim
                    .operationsOf(0, TaskOperation.JoinNamespaces.class).get(0);
            assertEquals(NamespaceKind.CGROUP, join.joins().get(0).kind());
            assertEquals(0, shim.operationsOf(0, TaskOperation.InstallSeccompFilter.class).size());
        }

        @Test
        @DisplayName("no cgroup namespace in the kernel: not joined; separate net/ipc/uts namespaces: joined")
        void namespaceChoice() {
            node.cgroupNamespace = false;
            node.separateNamespaces.add(NamespaceKind.IPC);
            node.separateNamespaces.add(NamespaceKind.NET);
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh"));
            runToEnd(shim);
            TaskOperation.JoinNamespaces join = (TaskOperation.JoinNamespaces) shim
                    .operationsOf(0, TaskOperation.JoinNamespaces.class).get(0);
            assertEquals(List.of(NamespaceKind.USER, NamespaceKind.MNT, NamespaceKind.IPC, NamespaceKind.NET),
                    join.joins().stream().map(NamespaceJoin::kind).toList());
            assertEquals("pyxis: couldn't join network namespace", join.joins().get(3).joinFailure());
            assertEquals("pyxis: unable to open network namespace file", join.joins().get(3).openFailure());
        }

        @Test
        @DisplayName("a user namespace nested in the one owning the unshared namespaces: that owner first, then those,"
                + " then the container's")
        void nestedUserNamespace() {
            node.traits = new RuntimeTraits("charliecloud", Set.of(), EnumSet.of(RuntimeFeature.UNSHARE_NET,
                    RuntimeFeature.UNSHARE_UTS), true);
            node.separateNamespaces.add(NamespaceKind.UTS);
            node.separateNamespaces.add(NamespaceKind.NET);
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh",
                    "--container-unshare=net,uts"));
            runToEnd(shim);
            TaskOperation.JoinNamespaces join = (TaskOperation.JoinNamespaces) shim
                    .operationsOf(0, TaskOperation.JoinNamespaces.class).get(0);
            assertEquals(List.of(NamespaceJoin.ownerOf(NamespaceKind.UTS), NamespaceJoin.of(NamespaceKind.UTS),
                    NamespaceJoin.of(NamespaceKind.NET), NamespaceJoin.of(NamespaceKind.USER),
                    NamespaceJoin.of(NamespaceKind.CGROUP), NamespaceJoin.of(NamespaceKind.MNT)), join.joins());
            assertEquals("pyxis: couldn't join the user namespace owning the UTS namespace",
                    join.joins().get(0).joinFailure());
            TaskOperation.StartContainer start = (TaskOperation.StartContainer) shim
                    .operationsOf(0, TaskOperation.StartContainer.class).get(0);
            assertEquals(List.of(), start.setup(), "a runtime that finishes its namespaces itself");

            node.separateNamespaces.clear();
            TaskShimDouble plain = run(PluginConfig.defaults(), step(12, 4, 1), options("--container-image=/u.sqsh"));
            runToEnd(plain);
            assertEquals(List.of(NamespaceKind.USER, NamespaceKind.CGROUP, NamespaceKind.MNT),
                    ((TaskOperation.JoinNamespaces) plain.operationsOf(0, TaskOperation.JoinNamespaces.class).get(0))
                            .joins().stream().map(NamespaceJoin::kind).toList(),
                    "nothing unshared: no owner to join");
        }

        @Test
        @DisplayName("a start that unshares and leaves the rest to jpyxis: the loopback interface is brought up from"
                + " the user namespace owning it, before the mounts")
        void loopbackFromTheParent() {
            node.traits = new RuntimeTraits("charliecloud", Set.of(), EnumSet.of(RuntimeFeature.UNSHARE_NET,
                    RuntimeFeature.UNSHARE_IPC), true);
            node.launchUnshares = true;
            node.separateNamespaces.add(NamespaceKind.NET);
            node.separateNamespaces.add(NamespaceKind.IPC);
            ContainerMount shm = new ContainerMount.Call("tmpfs", "/dev/shm", "tmpfs", Set.of(), "", false, "x");
            node.mountsInside = List.of(shm);
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh",
                    "--container-unshare=net,ipc"));
            runToEnd(shim);
            TaskOperation.StartContainer start = (TaskOperation.StartContainer) shim
                    .operationsOf(0, TaskOperation.StartContainer.class).get(0);
            assertEquals(List.of(new ContainerSetup.Join(NamespaceJoin.ownerOf(NamespaceKind.NET)),
                    new ContainerSetup.Join(NamespaceJoin.of(NamespaceKind.NET)),
                    new ContainerSetup.LoopbackUp("pyxis: --container-unshare=net: couldn't bring up the loopback"
                            + " interface"),
                    new ContainerSetup.Join(NamespaceJoin.of(NamespaceKind.USER)),
                    new ContainerSetup.Join(NamespaceJoin.of(NamespaceKind.MNT)), shm), start.setup());
            assertEquals(NodeStep.Phase.RUNNING, shim.step.phase());
        }

        @Test
        @DisplayName("--container-unshare asked but the container shares the namespace: every task fails")
        void unshareNotSeparate() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 2), options("--container-image=/u.sqsh",
                    "--container-unshare=uts"));
            runToEnd(shim);
            for (int task = 0; task < 2; task++) {
                assertEquals(List.of("pyxis: error: --container-unshare=uts requested but the container is not in a "
                        + "separate UTS namespace"), shim.failureOf(task));
            }
        }

        @Test
        @DisplayName("PyTorch images: a task without SLURM_LOCALID fails alone")
        void pytorchFailure() {
            node.containerEnvironment = Environment.of("PYTORCH_VERSION", "2.3");
            StepContext step = step(12, 3, 1);
            NodeStep nodeStep = new NodeStep(step, PluginConfig.defaults(), node.ports(false), Steps.DAEMON_PATH,
                    Steps.prepare(node, PluginConfig.defaults(), step, options("--container-image=/u.sqsh")));
            List<Delivery> start = nodeStep.taskArrived(0, Environment.of("SLURM_PROCID", "0"));
            assertTrue(start.get(0).plan().expectsReport());
            List<Delivery> joined = nodeStep.taskReported(0, Checkpoint.STARTED,
                    Optional.of(new StartOutcome.Stopped(4242, List.of())));
            assertTrue(joined.get(0).plan().fails());
            assertEquals(NodeStep.TaskStage.FAILED, nodeStep.stage(0).orElseThrow());
        }

        @Test
        @DisplayName("reports out of turn are programming errors")
        void outOfTurn() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 2), options("--container-image=/u.sqsh"));
            shim.arrive(0);
            assertThrows(IllegalStateException.class, () -> shim.step.taskReported(1, Checkpoint.JOINED,
                    Optional.empty()));
            assertThrows(IllegalStateException.class, () -> shim.step.taskArrived(0, Environment.empty()));
        }
    }

    @Nested
    @DisplayName("the end of the step")
    class End {
        @Test
        @DisplayName("the last task to exit exports (relative path from PWD) and removes the temporary container")
        void exportAndCleanup() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 2), options("--container-image=ubuntu",
                    "--container-save=out.sqsh"));
            runToEnd(shim);
            assertEquals(HookOutcome.nothing(), shim.step.taskExited(1));
            HookOutcome end = shim.step.taskExited(0);
            assertFalse(end.failed());
            assertTrue(node.journal.contains("export pyxis_12.3 /home/u/work/out.sqsh"));
            assertEquals(List.of(Diagnostic.user("pyxis: exported container pyxis_12.3 to out.sqsh"),
                    Diagnostic.info("pyxis: removing container filesystem: pyxis_12.3")), end.diagnostics());
            assertEquals(List.of("export", "delete", "remove"), node.journal.subList(node.journal.size() - 3,
                    node.journal.size()).stream().map(s -> s.split(" ")[0]).toList());
            assertTrue(node.records.isEmpty(), "the ownership record goes with the container");
            assertEquals(HookOutcome.nothing(), shim.step.stepEnded());
        }

        @Test
        @DisplayName("the export's and the removal's own command lines come with task_exit's")
        void cleanupCommandLines() {
            node.reportsCommands = true;
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=ubuntu",
                    "--container-save=/abs/out.sqsh"));
            runToEnd(shim);
            assertEquals(List.of(Diagnostic.verbose("pyxis: running fake command: \"export pyxis_12.3 /abs/out.sqsh\""),
                    Diagnostic.user("pyxis: exported container pyxis_12.3 to /abs/out.sqsh"),
                    Diagnostic.info("pyxis: removing container filesystem: pyxis_12.3"),
                    Diagnostic.verbose("pyxis: running fake command: \"remove pyxis_12.3\"")),
                    shim.step.taskExited(0).diagnostics());
        }

        @Test
        @DisplayName("an export failure fails task_exit; cleanup still happens")
        void exportFailure() {
            node.failing.add("export");
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh",
                    "--container-save=/abs/out.sqsh"));
            runToEnd(shim);
            HookOutcome end = shim.step.taskExited(0);
            assertTrue(end.failed());
            assertTrue(end.diagnostics().contains(Diagnostic.error(
                    "pyxis: failed to export container pyxis_12.3 to /abs/out.sqsh")));
            assertEquals(1, node.count("remove"));
        }

        @Test
        @DisplayName("relative save path without PWD: an error, no export")
        void relativeWithoutPwd() {
            StepContext noPwd = step(12, 3, 1, 1, 1000, Environment.empty());
            TaskShimDouble shim = run(PluginConfig.defaults(), noPwd, options("--container-image=/u.sqsh",
                    "--container-save=out.sqsh"));
            runToEnd(shim);
            HookOutcome end = shim.step.taskExited(0);
            assertTrue(end.failed());
            assertEquals(Diagnostic.error("pyxis: container export: relative path used, but job's cwd is unset"),
                    end.diagnostics().get(0));
        }

        @Test
        @DisplayName("no export unless every local task got through task_init")
        void interruptedStepNotExported() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 2), options("--container-image=/u.sqsh",
                    "--container-save=/o.sqsh"));
            shim.arrive(0);
            shim.report(0);
            shim.lose(1);
            shim.step.taskExited(0);
            shim.step.taskExited(1);
            assertEquals(0, node.count("export"));
            assertEquals(1, node.count("remove"));
        }

        @Test
        @DisplayName("named containers stay; cleanup failures are informational")
        void namedStays() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh",
                    "--container-name=keep"));
            runToEnd(shim);
            assertEquals(List.of(), shim.step.taskExited(0).diagnostics());
            assertEquals(0, node.count("remove"));

            FakeNode failing = new FakeNode();
            failing.failing.add("remove");
            StepContext step = step(12, 4, 1);
            TaskShimDouble temp = new TaskShimDouble(new NodeStep(step, PluginConfig.defaults(), failing.ports(false),
                    Steps.DAEMON_PATH, Steps.prepare(failing, PluginConfig.defaults(), step,
                    options("--container-image=/u.sqsh"))), 1);
            runToEnd(temp);
            HookOutcome end = temp.step.taskExited(0);
            assertFalse(end.failed());
            assertTrue(end.diagnostics().contains(Diagnostic.info(
                    "pyxis: failed to remove container filesystem: pyxis_12.4")));
        }

        @Test
        @DisplayName("slurmstepd gone before the tasks exited: the step's container is still removed, not exported")
        void stepEndedEarly() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh",
                    "--container-save=/o.sqsh"));
            runToEnd(shim);
            shim.step.stepEnded();
            assertEquals(0, node.count("export"));
            assertEquals(1, node.count("remove"));
            assertEquals(HookOutcome.nothing(), shim.step.taskExited(0));
        }

        @Test
        @DisplayName("a scancel's task_exit handled before the start's report: the runtime still finishes the start (its"
                + " squashfuse mount detached), once; the late report starts nothing and lets the first process go")
        void stepEndsBeforeTheStartIsReported() {
            TaskShimDouble shim = run(PluginConfig.parse("use_squashfuse=1"), step(12, 3, 1),
                    options("--container-image=/u.sqsh"));
            shim.arrive(0);
            assertEquals(NodeStep.Phase.STARTING, shim.step.phase());
            assertEquals(0, node.count("finish"));
            shim.step.taskExited(0);
            assertEquals(1, node.count("finish"), "the mount made for the start must not outlive the step");
            shim.report(0);
            assertEquals(1, node.count("finish"));
            assertEquals(TaskShimDouble.End.FAILED, shim.ends.get(0));
            assertEquals(NodeStep.Phase.NOT_STARTED, shim.step.phase());
            assertEquals(List.of("resume 4242"), node.journal.stream().filter(e -> e.startsWith("resume")).toList());
            assertTrue(node.records.isEmpty(), "no record of a container started in place after the cleanup");
        }

        @Test
        @DisplayName("what the runtime could not remove at the start's report (an unmount killed by the step's signals)"
                + " it is asked for again at the step's end, and no more once it is gone")
        void finishStartRetriedAtTheEnd() {
            node.failing.add("finish");
            TaskShimDouble shim = run(PluginConfig.parse("use_squashfuse=1"), step(12, 3, 1),
                    options("--container-image=/u.sqsh"));
            runToEnd(shim);
            assertEquals(TaskShimDouble.End.EXEC, shim.ends.get(0), "the container runs: only a mount point is left");
            assertEquals(1, node.count("finish"));
            node.failing.remove("finish");
            shim.step.taskExited(0);
            assertEquals(2, node.count("finish"));
            shim.step.stepEnded();
            assertEquals(2, node.count("finish"));
        }

        @Test
        @DisplayName("slurmstepd gone (or slurm_spank_exit) while the start is under way: the runtime finishes the start")
        void stepEndedDuringTheStart() {
            TaskShimDouble shim = run(PluginConfig.parse("use_squashfuse=1"), step(12, 3, 2),
                    options("--container-image=/u.sqsh"));
            shim.arrive(0);
            shim.arrive(1);
            shim.step.stepEnded();
            assertEquals(1, node.count("finish"));
            shim.lose(0);
            assertEquals(1, node.count("finish"), "once");
        }

        @Test
        @DisplayName("nothing was created when no task ever arrived: nothing to remove")
        void noTaskArrived() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=ubuntu"));
            shim.step.stepEnded();
            assertEquals(0, node.count("remove"));
            assertEquals(List.of("delete /run/pyxis/1000/12.3.squashfs"), node.journal,
                    "a temporary import file is always deleted, in case an import was interrupted");
        }

        @Test
        @DisplayName("deferred user_init failure: every task fails at once, nothing to clean")
        void deferred() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 2), options("--container-name=absent"));
            runToEnd(shim);
            assertEquals(TaskShimDouble.End.FAILED, shim.ends.get(0));
            assertEquals(TaskShimDouble.End.FAILED, shim.ends.get(1));
            assertEquals(NodeStep.Phase.DEFERRED_FAILURE, shim.step.phase());
            assertEquals(HookOutcome.nothing(), shim.step.taskExited(0));
            assertEquals(HookOutcome.nothing(), shim.step.stepEnded());
        }
    }

    @Nested
    @DisplayName("ownership records for leftovers")
    class Ownership {
        @Test
        @DisplayName("temporary and job-scoped containers are recorded before they are created")
        void recorded() {
            TaskShimDouble shim = run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=ubuntu"));
            shim.arrive(0);
            shim.report(0);
            assertEquals(1, node.records.size());
            OwnershipRecord record = node.records.get(0);
            assertEquals("pyxis_12.3", record.containerName());
            assertEquals(OwnershipRecord.Ownership.STEP, record.ownership());
            assertEquals(Optional.of("/run/pyxis/1000/12.3.squashfs"), record.temporaryFile());
            assertEquals(node.self, record.owner());

            FakeNode jobScope = new FakeNode();
            PluginConfig config = PluginConfig.parse("container_scope=job");
            StepContext step = step(12, 3, 1);
            runToEnd(new TaskShimDouble(new NodeStep(step, config, jobScope.ports(false), Steps.DAEMON_PATH,
                    Steps.prepare(jobScope, config, step, options("--container-image=/u.sqsh",
                            "--container-name=dev"))), 1));
            assertEquals(OwnershipRecord.Ownership.JOB, jobScope.records.get(0).ownership());
        }

        @Test
        @DisplayName("global named containers are the user's to keep: not recorded")
        void globalNamedNotRecorded() {
            runToEnd(run(PluginConfig.defaults(), step(12, 3, 1), options("--container-image=/u.sqsh",
                    "--container-name=dev")));
            assertTrue(node.records.isEmpty());
        }
    }
}
