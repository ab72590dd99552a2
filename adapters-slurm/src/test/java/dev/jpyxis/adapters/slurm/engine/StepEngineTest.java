package dev.jpyxis.adapters.slurm.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.config.RuntimeKind;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.out.ProcessIdentity;
import dev.jpyxis.domain.port.out.StepPorts;
import dev.jpyxis.domain.port.out.PathProbe;
import dev.jpyxis.domain.port.out.ContainerLaunch;
import dev.jpyxis.domain.port.out.ContainerProcesses;
import dev.jpyxis.domain.port.out.ContainerRuntime;
import dev.jpyxis.domain.port.out.NodeFiles;
import dev.jpyxis.domain.port.out.NodePorts;
import dev.jpyxis.domain.port.out.RuntimeFeature;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import dev.jpyxis.domain.port.out.StepLedger;
import dev.jpyxis.domain.service.NodeStepService;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The engine in one JVM: slurmstepd on piped streams, two tasks on the real Unix socket. */
@Timeout(30)
class StepEngineTest {

    @TempDir
    Path runtimePath;

    private final ContainerRuntime runtime = mock(ContainerRuntime.class);
    private final ContainerProcesses processes = mock(ContainerProcesses.class);
    private final NodeFiles files = mock(NodeFiles.class);
    private final StepLedger ledger = mock(StepLedger.class);

    /** What the engine was told had arrived, before it handled it. */
    private final List<String> arrived = new java.util.concurrent.CopyOnWriteArrayList<>();
    private OutputStream toEngine;
    private InputStream fromEngine;
    private Thread engine;
    /** slurmstepd's mount table as the engine reads it: empty unless a test gives the job a namespace. */
    private String mountInfo = "";

    private void startEngine() throws Exception {
        when(runtime.traits()).thenReturn(new RuntimeTraits("enroot", Set.of(), EnumSet.allOf(RuntimeFeature.class)));
        when(runtime.prepareStart(any(), any())).thenReturn(new ContainerLaunch(List.of("/usr/bin/enroot", "start"),
                Environment.of("A", "1"), List.of()));
        when(processes.environment(anyLong())).thenReturn(Environment.of("PATH", "/usr/bin"));
        when(processes.workingDirectory(anyLong())).thenReturn("/workspace");
        when(processes.namespace(anyLong(), any())).thenReturn(Optional.of("shared"));
        when(processes.ownNamespace(any())).thenReturn(Optional.of("shared"));
        when(files.probe(anyString())).thenReturn(PathProbe.exists());
        when(files.delete(anyString())).thenReturn(Optional.empty());
        when(ledger.bootId()).thenReturn("boot");
        when(ledger.self()).thenReturn(new ProcessIdentity(1, 1));
        NodePorts node = new NodePorts() {
            @Override
            public RuntimeTraits traits(RuntimeKind kind) {
                return runtime.traits();
            }

            @Override
            public ContainerRuntime runtime(PluginConfig config, String daemonPath) {
                return runtime;
            }

            @Override
            public StepPorts stepPorts(PluginConfig config, long uid, ContainerRuntime rt) {
                return new StepPorts(rt, Optional.empty(), processes, files, ledger, System::nanoTime);
            }

            @Override
            public StepLedger ledger(PluginConfig config, long uid) {
                return ledger;
            }
        };
        StepSession session = new StepSession(new NodeStepService(node));
        PipedInputStream engineIn = new PipedInputStream(1 << 20);
        toEngine = new PipedOutputStream(engineIn);
        PipedOutputStream engineOut = new PipedOutputStream();
        fromEngine = new BufferedInputStream(new PipedInputStream(engineOut, 1 << 20));
        Path mounts = Files.writeString(runtimePath.resolve("mountinfo"), mountInfo);
        engine = new Thread(() -> {
            try {
                new StepEngine(session, new Heartbeat(), new JobNamespaces(mounts), arrived::add)
                        .serve(engineIn, engineOut);
                engineOut.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        engine.start();
    }

    private Message call(Message request) throws IOException {
        MessageCodec.write(toEngine, request);
        return MessageCodec.read(fromEngine);
    }

    private Message init(String... options) throws IOException {
        return init(List.of("runtime_path=" + runtimePath), options);
    }

    private Message initWith(String config, String... options) throws IOException {
        return init(List.of(config), options);
    }

    private Message init(List<String> config, String... options) throws IOException {
        Message.Builder init = Message.builder("init").add("protocol", MessageCodec.PROTOCOL_VERSION);
        config.forEach(argument -> init.add("config", argument));
        for (String option : options) {
            int equals = option.indexOf('=');
            init.add("opt." + option.substring(0, equals), option.substring(equals + 1));
        }
        Files.createDirectories(runtimePath.resolve("5000"));
        return call(init.add("uid", 5000).add("gid", 100).add("gids", 100).add("job", 12).add("step", 3)
                .add("local_tasks", 2).add("total_tasks", 2).add("restarts", 0).add("daemon_path", "/usr/bin")
                .add("node", "node4").add("env", "HOME=/home/u").build());
    }

    /** A task's connection. */
    private static final class Task implements AutoCloseable {
        final SocketChannel channel;
        final InputStream in;
        final OutputStream out;

        Task(String socket, int id) throws IOException {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            in = new BufferedInputStream(Channels.newInputStream(channel));
            out = Channels.newOutputStream(channel);
            MessageCodec.write(out, Message.builder("task_init").add("task", id).add("global_task", id)
                    .add("pid", 100 + id).add("env", "SLURM_PROCID=" + id).build());
        }

        /** Lines the engine showed while this task waited (keep-alives' log lines), as level=text. */
        final List<String> shown = new java.util.ArrayList<>();

        /** The next plan segment; keep-alives before it are skipped and their lines kept, as the shim does. */
        Message plan() throws IOException {
            for (;;) {
                Message frame = MessageCodec.read(in);
                if (!frame.type().equals("alive")) {
                    return frame;
                }
                frame.fields().stream().filter(f -> f.key().startsWith("log."))
                        .forEach(f -> shown.add(f.key().substring(4) + "=" + f.value()));
            }
        }

        void report(Message report) throws IOException {
            MessageCodec.write(out, report);
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    @Test
    void aStepWithoutContainerOptionsNeedsNoEngine() throws Exception {
        startEngine();
        Message answer = init("container-workdir=/w");
        assertEquals("disabled", answer.require("status"));
        assertEquals(List.of("pyxis: ignoring --container-workdir because neither --container-image nor "
                + "--container-name is set"), answer.all("log.error"));
        engine.join();
    }

    @Test
    void aJobWithAMountNamespaceOfItsOwnAsksToBeStartedInItAndEnds() throws Exception {
        mountInfo = "22 1 0:21 / /proc rw - proc proc rw\n"
                + "301 25 0:4 mnt:[4026532999] /var/spool/slurm/jc/120/.ns rw - nsfs nsfs rw\n"
                + "302 25 0:4 mnt:[4026532777] /var/spool/slurm/jc/12/.ns rw - nsfs nsfs rw\n";
        startEngine();
        Message answer = init("container-image=a");
        assertEquals("namespace", answer.require("status"));
        assertEquals("/var/spool/slurm/jc/12/.ns", answer.require("namespace"));
        assertTrue(answer.get("socket").isEmpty());
        engine.join();
    }

    @Test
    void anEngineInTheJobsNamespaceServesTheStep() throws Exception {
        mountInfo = "302 25 0:4 mnt:[4026532777] /var/spool/slurm/jc/12/.ns rw - nsfs nsfs rw\n";
        startEngine();
        Message.Builder init = Message.builder("init").add("protocol", MessageCodec.PROTOCOL_VERSION)
                .add("config", "runtime_path=" + runtimePath).add("opt.container-image", "a");
        Files.createDirectories(runtimePath.resolve("5000"));
        Message answer = call(init.add("uid", 5000).add("gid", 100).add("job", 12).add("step", 3)
                .add("local_tasks", 1).add("total_tasks", 1).add("restarts", 0).add("daemon_path", "/usr/bin")
                .add("node", "node4").add("env", "HOME=/home/u")
                .add("joined_namespace", "/var/spool/slurm/jc/12/.ns").build());
        assertEquals("enabled", answer.require("status"));
        assertTrue(answer.get("socket").isPresent());
    }

    @Test
    void outsideTheJobsNamespaceNothingOfTheStepRuns() throws Exception {
        mountInfo = "302 25 0:4 mnt:[4026532777] /var/spool/slurm/jc/12/.ns rw - nsfs nsfs rw\n";
        startEngine();
        assertEquals("namespace", init("container-name=n", "container-workdir=/w").require("status"));
        engine.join();
        verify(runtime, never()).listSoon(any());
        verify(runtime, never()).list(any());
    }

    @Test
    void badOptionsFailTheStepAtUserInitWhereTheUserSeesTheLinesAndEveryTaskFails() throws Exception {
        startEngine();
        Message answer = init("container-image=a", "container-image=b");
        assertEquals("enabled", answer.require("status"));
        assertEquals(List.of("pyxis: --container-image specified multiple times"), answer.all("log.error"));
        Message userInit = call(Message.builder("user_init").add("cwd", "/home/u").add("env", "HOME=/home/u")
                .build());
        assertEquals("deferred", userInit.require("status"));
        assertEquals(List.of("pyxis: --container-image specified multiple times"), userInit.all("log.error"));
        try (Task task = new Task(answer.require("socket"), 0)) {
            assertEquals(List.of("fail"), task.plan().all("op"));
        }
    }

    @Test
    void anUnreadablePlugstackLineFailsTheStepAtOnce() throws Exception {
        startEngine();
        assertEquals("error", initWith("container_scope=bogus", "container-image=a").require("status"));
        engine.join();
    }

    @Test
    void twoTasksShareOneContainerAndTheLastJoinerReleasesIt() throws Exception {
        startEngine();
        Message init = init("container-image=/images/u.sqsh");
        assertEquals("enabled", init.require("status"));
        String socket = init.require("socket");
        assertTrue(socket.startsWith(runtimePath.resolve("5000").resolve("engine-").toString()));
        assertEquals("ok", call(Message.builder("user_init").add("cwd", "/home/u").add("env", "HOME=/home/u")
                .build()).require("status"));

        try (Task first = new Task(socket, 0)) {
            Message start = first.plan();
            Task second = new Task(socket, 1);
            assertTrue(start.all("op").contains("start"), start.toString());
            first.report(Message.builder("report").add("checkpoint", "started").add("outcome", "stopped")
                    .add("pid", 4242).build());
            Message firstJoin = first.plan();
            Message secondJoin = second.plan();
            assertEquals("4242", firstJoin.require("pid"));
            assertEquals(List.of("setenv", "join", "chdir", "seccomp", "report"), secondJoin.all("op"));
            first.report(Message.builder("report").add("checkpoint", "joined").build());
            assertEquals(List.of(), first.plan().all("op"), "the first to join just goes on");
            second.report(Message.builder("report").add("checkpoint", "joined").build());
            assertEquals(List.of("resume"), second.plan().all("op"), "the last to join releases the container");
            second.close();
        }
        verify(runtime).create(any(), any(), any());

        Message first = call(Message.builder("task_exit").add("task", 0).add("exit_status", 0).build());
        assertEquals("ok", first.require("status"));
        assertEquals(Optional.empty(), first.get("every_task_exited"), "a task is still running");
        Message last = call(Message.builder("task_exit").add("task", 1).add("exit_status", 0).build());
        assertEquals(List.of("pyxis: removing container filesystem: pyxis_12.3"), last.all("log.info"));
        assertEquals(Optional.of("1"), last.get("every_task_exited"),
                "the shim takes the engine out of the step's cgroups, which Slurm removes next");
        try (var left = Files.list(runtimePath.resolve("5000"))) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("engine-")),
                    "the engine removes its socket directory at the last task_exit, before slurmstepd kills it");
        }
        assertEquals("exit", call(Message.builder("exit").build()).type());
        engine.join();
        assertEquals(List.of("init", "user_init"), arrived.subList(0, 2));
        assertEquals(List.of("task_exit", "task_exit", "exit"), arrived.subList(arrived.size() - 3, arrived.size()));
        assertEquals(2, arrived.stream().filter("task_init"::equals).count(), "each task's task_init");
        assertEquals(3, arrived.stream().filter("report"::equals).count(), "the start's report and two joins");
    }

    @Test
    void whenSlurmstepdGoesAwayTheStepIsStillCleanedUp() throws Exception {
        startEngine();
        Message init = init("container-image=/images/u.sqsh");
        call(Message.builder("user_init").add("cwd", "/").build());
        try (Task task = new Task(init.require("socket"), 0)) {
            task.plan();
            toEngine.close();
            engine.join();
        }
        verify(runtime).remove(any(), org.mockito.ArgumentMatchers.eq("pyxis_12.3"));
    }

    @Test
    void aLongUnpackIsReportedToTheSetupTaskWhileItWaitsThenItsPlanComes() throws Exception {
        startEngine();
        org.mockito.Mockito.doAnswer(invocation -> {
            Thread.sleep(3500);
            return null;
        }).when(runtime).create(any(), any(), any());
        Message init = init(List.of("runtime_path=" + runtimePath, "progress_interval=1", "image_unpack=always"),
                "container-image=/images/u.sqsh");
        call(Message.builder("user_init").add("cwd", "/home/u").add("env", "HOME=/home/u").build());
        try (Task task = new Task(init.require("socket"), 0)) {
            Message plan = task.plan();
            assertTrue(plan.all("op").contains("start"), plan.toString());
            assertEquals("info=pyxis: creating container filesystem: pyxis_12.3", task.shown.get(0),
                    "what the setup said before the command comes first");
            List<String> progress = task.shown.subList(1, task.shown.size());
            assertTrue(progress.size() >= 2, progress.toString());
            long previous = 0;
            for (String line : progress) {
                var matched = java.util.regex.Pattern.compile(
                        "user=pyxis: still unpacking /images/u\\.sqsh, ([0-9]+) s, 0 MB written to disk"
                                + " \\(node node4\\)")
                        .matcher(line);
                assertTrue(matched.matches(), line);
                long seconds = Long.parseLong(matched.group(1));
                assertTrue(seconds > previous && seconds <= 3, progress.toString());
                previous = seconds;
            }
        }
    }

    @Test
    void progressIntervalZeroKeepsTheTaskToItsPlan() throws Exception {
        startEngine();
        org.mockito.Mockito.doAnswer(invocation -> {
            Thread.sleep(2200);
            return null;
        }).when(runtime).create(any(), any(), any());
        Message init = init(List.of("runtime_path=" + runtimePath, "progress_interval=0", "image_unpack=always"),
                "container-image=/images/u.sqsh");
        call(Message.builder("user_init").add("cwd", "/home/u").add("env", "HOME=/home/u").build());
        try (Task task = new Task(init.require("socket"), 0)) {
            task.plan();
            assertEquals(List.of("info=pyxis: creating container filesystem: pyxis_12.3"), task.shown);
        }
    }
}
