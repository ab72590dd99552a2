package dev.jpyxis.adapters.slurm.engine;

import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import dev.jpyxis.adapters.slurm.protocol.PlanEncoding;
import dev.jpyxis.adapters.slurm.protocol.ProtocolException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The engine of one node-step: serves slurmstepd on the control channel and the step's tasks on a Unix socket in a
 * private directory, and runs every event through one {@link StepSession} under one lock. It ends when slurmstepd
 * says {@code exit} or its channel closes; in the latter case it still cleans up what the step owns.
 */
public final class StepEngine {

    private final StepSession session;
    private final Object lock = new Object();
    /** Written under the lock; read without it by the progress lines the heartbeat's ticks send. */
    private final Map<Integer, Peer> tasks = new ConcurrentHashMap<>();
    private final Heartbeat heartbeat;
    private final JobNamespaces jobNamespaces;
    /** Told each request's type once it is read and before it is handled (docs/e2e.md#stopping-the-engine-at-a-hook). */
    private final Consumer<String> arrived;
    private Path socketDirectory;
    private ServerSocketChannel server;

    public StepEngine(StepSession session) {
        this(session, type -> { });
    }

    /**
     * @param arrived told the type of every request (init, user_init, task_init, a task's report, task_exit, exit)
     *                once it is read, before anything is done for it
     */
    public StepEngine(StepSession session, Consumer<String> arrived) {
        this(session, new Heartbeat(), new JobNamespaces(), arrived);
    }

    StepEngine(StepSession session, Heartbeat heartbeat, JobNamespaces jobNamespaces) {
        this(session, heartbeat, jobNamespaces, type -> { });
    }

    StepEngine(StepSession session, Heartbeat heartbeat, JobNamespaces jobNamespaces,
            Consumer<String> arrived) {
        this.session = session;
        this.heartbeat = heartbeat;
        this.jobNamespaces = jobNamespaces;
        this.arrived = arrived;
    }

    /** Serves the control channel until it ends. */
    public void serve(InputStream control, OutputStream answers) throws IOException {
        InputStream in = new BufferedInputStream(control);
        Peer slurmstepd = heartbeat.watch(new Peer(answers));
        try {
            for (;;) {
                Message request;
                try {
                    request = MessageCodec.read(in);
                } catch (EOFException gone) {
                    synchronized (lock) {
                        session.exit();
                    }
                    return;
                }
                arrived.accept(request.type());
                Message answer;
                boolean last = false;
                slurmstepd.awaitsAnswer();
                synchronized (lock) {
                    switch (request.type()) {
                        case "init" -> {
                            MessageCodec.requireProtocol(request);
                            Optional<String> jobNamespace = request.get("joined_namespace").isPresent()
                                    ? Optional.empty() : jobNamespaces.holderOf(request.requireLong("job"));
                            if (jobNamespace.isPresent()) {
                                // the tasks live in the job's own mount namespace: this engine's work belongs there
                                // too, and only a new process can enter it; nothing is done out here, not even
                                // reading the options (docs/lifecycle.md#the-tasks-world)
                                answer = Message.builder("init").add("status", "namespace")
                                        .add("namespace", jobNamespace.get()).build();
                                last = true;
                            } else {
                                StepSession.InitAnswer init = session.init(request, this::showProgress);
                                answer = init.answer();
                                if (init.runtimeDirectory().isPresent()) {
                                    openTaskSocket(init.runtimeDirectory().get());
                                    answer = answer.with("socket", socketPath());
                                    acceptTasks();
                                    heartbeat.onTick(session::tick);
                                }
                                last = init.runtimeDirectory().isEmpty();
                            }
                        }
                        case "user_init" -> answer = session.userInit(request);
                        case "task_exit" -> {
                            answer = session.taskExited(request);
                            if (session.everyTaskExited()) {
                                // before the answer: slurmstepd kills the step's processes, this engine among them,
                                // once the tasks are gone, and often before slurm_spank_exit
                                closeTaskSocket();
                                // the shim then takes this engine out of the step's cgroups, which Slurm removes next
                                // (docs/lifecycle.md#the-tasks-world)
                                answer = answer.with("every_task_exited", "1");
                            }
                        }
                        case "exit" -> {
                            answer = session.exit();
                            last = true;
                        }
                        default -> throw new ProtocolException("unexpected request " + request.type());
                    }
                }
                slurmstepd.send(answer);
                if (last) {
                    return;
                }
            }
        } finally {
            heartbeat.close();
            closeTaskSocket();
        }
    }

    /**
     * The tasks' socket lives in a directory of the user's own runtime directory ({@code <runtime_path>/<uid>}, 0700,
     * created by the shim), named after this engine process; directories of engines that are gone are removed.
     */
    private void openTaskSocket(Path runtimeDirectory) throws IOException {
        EngineDirectories.removeStale(runtimeDirectory);
        socketDirectory = EngineDirectories.create(runtimeDirectory);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketDirectory.resolve("engine.sock")));
    }

    private String socketPath() {
        return socketDirectory.resolve("engine.sock").toString();
    }

    private void acceptTasks() {
        Thread acceptor = new Thread(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel channel = server.accept();
                    Thread task = new Thread(() -> serveTask(channel), "task-connection");
                    task.setDaemon(true);
                    task.start();
                } catch (IOException closed) {
                    return;
                }
            }
        }, "task-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** One task's conversation: its task_init, then its reports, until it hangs up. */
    private void serveTask(SocketChannel channel) {
        int task = -1;
        Peer peer = null;
        try (channel) {
            InputStream in = new BufferedInputStream(SocketStreams.in(channel));
            peer = heartbeat.watch(new Peer(SocketStreams.out(channel)));
            Message request = MessageCodec.read(in);
            if (!request.type().equals("task_init")) {
                throw new ProtocolException("expected task_init, got " + request.type());
            }
            task = (int) request.requireLong("task");
            arrived.accept(request.type());
            peer.awaitsAnswer();
            synchronized (lock) {
                tasks.put(task, peer);
                session.taskArrived(request, this::send);
            }
            for (;;) {
                Message report = MessageCodec.read(in);
                arrived.accept(report.type());
                peer.awaitsAnswer();
                synchronized (lock) {
                    session.taskReported(task, report, this::send);
                }
            }
        } catch (IOException | ProtocolException | IllegalStateException gone) {
            if (peer != null) {
                heartbeat.forget(peer);
            }
            if (task >= 0) {
                synchronized (lock) {
                    tasks.remove(task);
                    session.taskLost(task, this::send);
                }
            }
        }
    }

    /** Sends a plan segment to a task; called under the lock. A task that is gone cannot be told anything. */
    private void send(int task, Message plan) {
        Peer peer = tasks.get(task);
        if (peer == null) {
            return;
        }
        try {
            peer.send(plan);
        } catch (IOException gone) {
            tasks.remove(task);
            heartbeat.forget(peer);
        }
    }

    /** Lines for a task that waits for its plan, shown by its shim at once; a task that is gone is not told. */
    private void showProgress(int task, Message alive) {
        Peer peer = tasks.get(task);
        if (peer != null && !peer.keepAlive(alive)) {
            heartbeat.forget(peer);
        }
    }

    private void closeTaskSocket() {
        try {
            if (server != null) {
                server.close();
            }
            if (socketDirectory != null) {
                Files.deleteIfExists(socketDirectory.resolve("engine.sock"));
                Files.deleteIfExists(socketDirectory);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
