package dev.jpyxis.dist.engine;

import dev.jpyxis.adapters.slurm.engine.StepEngine;
import dev.jpyxis.adapters.slurm.engine.StepSession;
import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import dev.jpyxis.domain.service.NodeStepService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * Steps played through the real step engine for the JVM's startup cache: the control channel and the task socket as
 * slurmstepd and the shim use them, the step's decisions and plans, and enroot's commands answered by a stand-in
 * script in a private temporary directory. A cache trained on these holds the classes, lambdas and call sites a real
 * step reaches (the step's engine then spends tens of milliseconds less before its first task starts,
 * docs/performance.md#current-results); nothing outside the temporary directory is touched.
 *
 * <p>Three steps: an unnamed one started in place, an unnamed writable one (unpacked, then removed), and a named one
 * whose container the listing shows.
 */
final class StepRehearsal {

    /** Answers what the engine asks enroot: a listing with one named container, success for everything else. */
    private static final String ENROOT = """
            #!/bin/sh
            echo "enroot $1" >> '%s'
            [ "$1" = list ] && echo pyxis_rehearsal
            exit 0
            """;

    private final Path root;
    private final long uid;
    private final long gid;
    private final List<String> transcript;

    private StepRehearsal(Path root, long uid, long gid, List<String> transcript) {
        this.root = root;
        this.uid = uid;
        this.gid = gid;
        this.transcript = transcript;
    }

    /**
     * Plays the three steps; returns what was said, one line per answer ({@code init enabled}, {@code plan start},
     * ...) and per command enroot was asked for ({@code enroot list}), so a test can tell a rehearsal that went the
     * whole way from one that stopped early.
     */
    static List<String> run() throws IOException {
        List<String> transcript = new ArrayList<>();
        Path root = Files.createTempDirectory("jpyxis-rehearsal");
        com.sun.security.auth.module.UnixSystem me = new com.sun.security.auth.module.UnixSystem();
        try {
            StepRehearsal rehearsal = new StepRehearsal(root, me.getUid(), me.getGid(), transcript);
            rehearsal.prepare();
            String image = root.resolve("image.sqsh").toString();
            rehearsal.step(1, withTools(root), List.of("container-image=" + image));
            rehearsal.step(2, withTools(root), List.of("container-image=" + image, "container-writable="));
            rehearsal.step(3, withTools(root), List.of("container-name=rehearsal"));
            transcript.addAll(Files.readAllLines(root.resolve("enroot.log")));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            EngineTraining.deleteTree(root);
        }
        return transcript;
    }

    private void prepare() throws IOException {
        for (String bin : List.of("bin", "tools")) {
            Files.createDirectories(root.resolve(bin));
        }
        executable(root.resolve("bin/enroot"), ENROOT.formatted(root.resolve("enroot.log")));
        executable(root.resolve("tools/squashfuse"), "#!/bin/sh\nexit 0\n");
        executable(root.resolve("tools/fuse-overlayfs"), "#!/bin/sh\nexit 0\n");
        Files.write(root.resolve("image.sqsh"), new byte[] {'h', 's', 'q', 's'});
        Files.createDirectories(root.resolve("run").resolve(Long.toString(uid)),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    private static void executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    /** The daemon's search path: the stand-ins first (squashfuse's only need to be there to be found). */
    private static String withTools(Path root) {
        return root.resolve("bin") + ":" + root.resolve("tools") + ":/usr/bin:/bin";
    }

    /** One step of one task, from init to exit, as slurmstepd and the task's shim drive it. */
    private void step(long job, String daemonPath, List<String> options) throws IOException, InterruptedException {
        PipedOutputStream toEngine = new PipedOutputStream();
        PipedInputStream engineIn = new PipedInputStream(toEngine, 1 << 16);
        PipedOutputStream engineOut = new PipedOutputStream();
        PipedInputStream fromEngine = new PipedInputStream(engineOut, 1 << 16);
        StepEngine engine = new StepEngine(new StepSession(new NodeStepService(new EngineWiring())));
        Thread serving = new Thread(() -> {
            try (engineIn; engineOut) {
                engine.serve(engineIn, engineOut);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "rehearsed-engine");
        serving.start();
        List<String> env = List.of("PATH=/usr/bin:/bin", "HOME=" + root, "PWD=" + root, "USER=rehearsal");
        Message.Builder init = Message.builder("init").add("protocol", MessageCodec.PROTOCOL_VERSION)
                .add("config", "runtime=enroot").add("config", "runtime_path=" + root.resolve("run"))
                .add("config", "image_cache=");
        for (String option : options) {
            int equals = option.indexOf('=');
            init.add("opt." + option.substring(0, equals), option.substring(equals + 1));
        }
        init.add("uid", uid).add("gid", gid).add("job", job).add("step", 0).add("local_tasks", 1).add("total_tasks", 1)
                .add("restarts", 0).add("daemon_path", daemonPath).add("node", "rehearsal").addAll("env", env);
        Message opened = call(toEngine, fromEngine, init.build());
        call(toEngine, fromEngine, Message.builder("user_init").add("cwd", root.toString()).addAll("env", env).build());
        opened.get("socket").ifPresent(socket -> task(socket, env));
        call(toEngine, fromEngine, Message.builder("task_exit").add("task", 0).add("exit_status", 0).build());
        call(toEngine, fromEngine, Message.builder("exit").build());
        toEngine.close();
        serving.join();
        fromEngine.close();
    }

    /** Sends a request and reads its answer, past the keep-alives. */
    private Message call(OutputStream out, InputStream in, Message request) throws IOException {
        MessageCodec.write(out, request);
        Message answer;
        do {
            answer = MessageCodec.read(in);
        } while (answer.type().equals("alive"));
        transcript.add(answer.type() + " " + answer.get("status").orElse("?"));
        return answer;
    }

    /**
     * Task 0 as its shim talks to the engine: each segment that ends with a report is answered as the shim would
     * answer it; a start is answered by a process that stands for the container's first process, stopped.
     */
    private void task(String socket, List<String> env) {
        Process container = null;
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            OutputStream out = Channels.newOutputStream(channel);
            InputStream in = Channels.newInputStream(channel);
            MessageCodec.write(out, Message.builder("task_init").add("task", 0).add("global_task", 0)
                    .add("pid", ProcessHandle.current().pid()).addAll("env", env).build());
            for (;;) {
                Message plan = MessageCodec.read(in);
                if (plan.type().equals("alive")) {
                    continue;
                }
                List<String> ops = plan.all("op");
                transcript.add(("plan " + String.join(",", ops.stream().distinct().toList())).strip());
                if (ops.isEmpty() || !ops.get(ops.size() - 1).equals("report")) {
                    return;
                }
                List<String> checkpoints = plan.all("checkpoint");
                String checkpoint = checkpoints.get(checkpoints.size() - 1);
                Message.Builder report = Message.builder("report").add("checkpoint", checkpoint);
                if (checkpoint.equals("started")) {
                    container = new ProcessBuilder("/bin/sleep", "30").start();
                    report.add("outcome", "stopped").add("pid", container.pid());
                }
                MessageCodec.write(out, report.build());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (container != null) {
                container.destroyForcibly();
            }
        }
    }
}
