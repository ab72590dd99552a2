package dev.jpyxis.simulator.node;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.plan.NamespaceKind;
import dev.jpyxis.domain.port.out.ContainerProcesses;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The processes and namespaces of one simulated node: processes that stop and continue, namespaces as identities a
 * task joins, mount namespaces as views of the node's file system. Also what the engine sees of processes.
 */
public final class SimulatedKernel implements ContainerProcesses {

    /** A process's life. */
    public enum State { RUNNING, STOPPED, EXITED }

    /** A simulated process. */
    public static final class Process {
        private final long pid;
        private final long uid;
        private Environment environment;
        private String cwd;
        private final Map<NamespaceKind, String> namespaces;
        private State state = State.RUNNING;
        private int exitCode;
        private String uidMap;

        Process(long pid, long uid, Environment environment, String cwd, Map<NamespaceKind, String> namespaces) {
            this.pid = pid;
            this.uid = uid;
            this.environment = environment;
            this.cwd = cwd;
            this.namespaces = new EnumMap<>(namespaces);
            this.uidMap = uid + " " + uid + " 1";
        }

        public long pid() {
            return pid;
        }

        public long uid() {
            return uid;
        }

        public Environment environment() {
            return environment;
        }

        public void environment(Environment value) {
            environment = value;
        }

        public String cwd() {
            return cwd;
        }

        public void cwd(String value) {
            cwd = value;
        }

        public State state() {
            return state;
        }

        public String namespace(NamespaceKind kind) {
            return namespaces.get(kind);
        }

        public void join(NamespaceKind kind, String namespace) {
            namespaces.put(kind, namespace);
        }

        public String uidMap() {
            return uidMap;
        }

        public void uidMap(String value) {
            uidMap = value;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    /** A mount namespace: the root it shows and what is mounted in it. */
    public record MountView(Path root, boolean rootWritable, Map<String, Mount> mounts) {
    }

    /** Something mounted at a target inside a mount namespace. */
    public record Mount(Path source, boolean writable) {
    }

    /** Where a path as a process sees it lies on the node, and whether the process can write there. */
    public record Location(Path path, boolean writable) {
    }

    private final Path hostRoot;
    private final Map<Long, Process> processes = new LinkedHashMap<>();
    private final Map<String, MountView> mountViews = new LinkedHashMap<>();
    private final Map<NamespaceKind, String> host = new EnumMap<>(NamespaceKind.class);
    private long nextPid = 1000;
    private int nextNamespace = 1;

    public SimulatedKernel(Path hostRoot) {
        this.hostRoot = hostRoot;
        for (NamespaceKind kind : NamespaceKind.values()) {
            host.put(kind, kind.procName() + ":[host]");
        }
        mountViews.put(host.get(NamespaceKind.MNT), new MountView(hostRoot, true, new LinkedHashMap<>()));
    }

    /** A process in the host's namespaces. */
    public Process spawn(long uid, Environment environment, String cwd) {
        Process process = new Process(nextPid++, uid, environment, cwd, host);
        processes.put(process.pid(), process);
        return process;
    }

    /** A fresh namespace of that kind. */
    public String newNamespace(NamespaceKind kind) {
        return kind.procName() + ":[" + (4026532000L + nextNamespace++) + "]";
    }

    public String newMountNamespace(MountView view) {
        String id = newNamespace(NamespaceKind.MNT);
        mountViews.put(id, view);
        return id;
    }

    public MountView mountView(String namespace) {
        return mountViews.get(namespace);
    }

    public Optional<Process> process(long pid) {
        return Optional.ofNullable(processes.get(pid));
    }

    public void stop(Process process) {
        process.state = State.STOPPED;
    }

    public void exit(Process process, int code) {
        process.state = State.EXITED;
        process.exitCode = code;
        processes.remove(process.pid);
    }

    /** Every process dies (a node crash). */
    public void killAll() {
        processes.values().forEach(p -> p.state = State.EXITED);
        processes.clear();
    }

    /** The processes that have not exited, oldest first. */
    public Iterable<Process> live() {
        return List.copyOf(processes.values());
    }

    public Path hostRoot() {
        return hostRoot;
    }

    /** Resolves a path (relative to the process's directory) through the mounts of the process's mount namespace. */
    public Location locate(Process process, String path) {
        String absolute = path.startsWith("/") ? path : process.cwd() + "/" + path;
        absolute = hostRoot.getFileSystem().getPath("/").resolve(absolute).normalize().toString();
        MountView view = mountView(process.namespace(NamespaceKind.MNT));
        String best = null;
        for (String target : view.mounts().keySet()) {
            if ((absolute.equals(target) || absolute.startsWith(target + "/"))
                    && (best == null || target.length() > best.length())) {
                best = target;
            }
        }
        if (best == null) {
            return new Location(DiskFiles.inside(view.root(), absolute), view.rootWritable());
        }
        Mount mount = view.mounts().get(best);
        String rest = absolute.substring(best.length());
        return new Location(rest.isEmpty() ? mount.source() : DiskFiles.inside(mount.source(), rest),
                mount.writable());
    }

    private Process existing(long pid) throws InspectionException {
        return process(pid).orElseThrow(() -> new InspectionException("No such process"));
    }

    @Override
    public Environment environment(long pid) throws InspectionException {
        return existing(pid).environment();
    }

    @Override
    public String workingDirectory(long pid) throws InspectionException {
        return existing(pid).cwd();
    }

    @Override
    public Optional<String> namespace(long pid, NamespaceKind kind) throws InspectionException {
        return Optional.of(existing(pid).namespace(kind));
    }

    @Override
    public Optional<String> ownNamespace(NamespaceKind kind) {
        return Optional.of(host.get(kind));
    }

    @Override
    public void resume(long pid) throws InspectionException {
        Process process = existing(pid);
        if (process.state == State.STOPPED) {
            exit(process, 0);
        }
    }
}
