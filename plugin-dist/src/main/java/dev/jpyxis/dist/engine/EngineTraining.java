package dev.jpyxis.dist.engine;

import dev.jpyxis.adapters.slurm.engine.SubmitCheck;
import dev.jpyxis.adapters.slurm.protocol.Message;
import dev.jpyxis.adapters.slurm.protocol.MessageCodec;
import dev.jpyxis.adapters.slurm.protocol.PlanEncoding;
import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.plan.TaskOperation;
import dev.jpyxis.domain.plan.TaskPlan;
import dev.jpyxis.domain.port.in.StepIdentity;
import dev.jpyxis.domain.port.in.StepLaunch;
import dev.jpyxis.domain.service.NodeStepService;
import dev.jpyxis.domain.service.SubmissionValidator;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The workload {@code jpyxis install} runs once to record the JVM's startup cache: the option check srun runs, whole
 * steps played through the real engine ({@link StepRehearsal}, in a private temporary directory), every class of
 * jpyxis's own jars the engine may load, and the JDK's process, file-tree and Unix-socket machinery the step engine
 * uses. A class, lambda or call site the cache lacks is read, verified or generated on every step, which a fresh JVM
 * pays for.
 */
final class EngineTraining {

    private EngineTraining() {
    }

    static void run() throws IOException {
        Message submit = Message.builder("submit").add("command", "srun").add("protocol", MessageCodec.PROTOCOL_VERSION)
                .add("config", "container_scope=job").add("opt.container-image", "ubuntu:24.04")
                .add("opt.container-mounts", "/data:/data:ro").add("env", "PYXIS_CONTAINER_WORKDIR=/w").build();
        Message answer = new SubmitCheck(new SubmissionValidator(new EngineWiring())).answer(
                MessageCodec.read(new ByteArrayInputStream(MessageCodec.encode(submit))));
        MessageCodec.encode(answer);
        new NodeStepService(new EngineWiring()).open(new StepLaunch(List.of("runtime_path=/run/pyxis",
                "use_squashfuse=0"), new StepIdentity(1000, 1000, List.of(), 1, 0, 1, 1, 0),
                List.of(OptionUse.of(ContainerOption.WORKDIR, "/w")), Environment.of("PWD", "/"), "/usr/bin:/bin", "localhost"));
        MessageCodec.encode(PlanEncoding.encode(TaskPlan.of(
                new TaskOperation.SetVariable("A", "1"), new TaskOperation.UnsetVariable("LANG"),
                new TaskOperation.ChangeDirectory("/", "x"), new TaskOperation.InstallSeccompFilter("x"),
                new TaskOperation.Report(TaskOperation.Checkpoint.JOINED))));
        StepRehearsal.run();
        loadEngineClasses();
        exerciseTheJdk();
        exerciseTheStepEngineStart();
    }

    /** What a step engine does before it reads its first request: its warm-up, signal handlers and test hook. */
    private static void exerciseTheStepEngineStart() {
        EngineWarmUp.warmUp();
        EngineSignals.rehearse();
        HookStop.fromProperties().accept("training");
    }

    /** Loads (without initialising) every class of the jars on the class path under the engine's packages. */
    private static void loadEngineClasses() throws IOException {
        ClassLoader loader = EngineTraining.class.getClassLoader();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith(".jar")) {
                continue;
            }
            try (JarFile jar = new JarFile(entry)) {
                for (String name : jar.stream().map(JarEntry::getName).filter(EngineTraining::isEngineClass)
                        .toList()) {
                    try {
                        Class.forName(name.substring(0, name.length() - ".class".length()).replace('/', '.'), false,
                                loader);
                    } catch (ClassNotFoundException | LinkageError notForTheEngine) {
                        // a class needing what the engine's class path lacks is not one the engine loads
                    }
                }
            }
        }
    }

    private static boolean isEngineClass(String entry) {
        return entry.startsWith("dev/jpyxis/") && entry.endsWith(".class") && !entry.startsWith("dev/jpyxis/simulator/")
                && !entry.startsWith("dev/jpyxis/dist/cli/") && !entry.endsWith("module-info.class");
    }

    /**
     * A child process with its output read, a file tree walked, a file locked and its owner read (the image cache), a
     * Unix socket connected: as every step does.
     */
    private static void exerciseTheJdk() throws IOException {
        Path directory = Files.createTempDirectory("jpyxis-training");
        try {
            Files.writeString(directory.resolve("file"), "x");
            try (Stream<Path> tree = Files.walk(directory)) {
                tree.forEach(Files::isDirectory);
            }
            try (FileChannel channel = FileChannel.open(directory.resolve("lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                    FileLock lock = channel.lock(0, Long.MAX_VALUE, true)) {
                Files.readAttributes(directory, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            }
            Process child = new ProcessBuilder("/bin/true").redirectErrorStream(true).start();
            child.getInputStream().readAllBytes();
            child.waitFor();
            Path socket = directory.resolve("socket");
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                        SocketChannel accepted = server.accept()) {
                    client.write(ByteBuffer.wrap(new byte[] {1}));
                    accepted.read(ByteBuffer.allocate(1));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deleteTree(directory);
        }
    }

    /** Deletes a directory of the training's own and all it holds. */
    static void deleteTree(Path directory) throws IOException {
        try (Stream<Path> tree = Files.walk(directory)) {
            for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
