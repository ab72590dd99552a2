package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.option.Namespace;
import dev.jpyxis.domain.plan.NamespaceJoin;
import dev.jpyxis.domain.plan.NamespaceKind;
import dev.jpyxis.domain.port.out.ContainerProcesses;
import dev.jpyxis.domain.port.out.ContainerProcesses.InspectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A started container as the tasks need it (docs/pyxis-compatibility.md#namespaces): the namespaces to join (those of
 * the running container when attaching, else of the fresh first process), and the environment and working directory of
 * the fresh first process.
 */
record StartedContainer(long pid, long namespacePid, Environment environment, String workingDirectory,
        List<NamespaceJoin> joins) {

    private static final Map<Namespace, NamespaceKind> UNSHARE_KINDS =
            Map.of(Namespace.NET, NamespaceKind.NET, Namespace.IPC, NamespaceKind.IPC, Namespace.UTS, NamespaceKind.UTS);

    /**
     * @throws PyxisException with the lines every task fails with when the container cannot be used
     */
    static StartedContainer inspect(ContainerProcesses processes, long pid, long namespacePid, boolean privileged,
            Set<Namespace> unshare) {
        List<NamespaceJoin> joins = joins(processes, namespacePid, privileged, unshare);
        String cwd;
        try {
            cwd = processes.workingDirectory(pid);
        } catch (InspectionException failed) {
            throw new PyxisException(List.of("pyxis: couldn't read container cwd: " + failed.getMessage(),
                    "pyxis: couldn't get container directory"));
        }
        Environment environment;
        try {
            environment = processes.environment(pid);
        } catch (InspectionException failed) {
            throw new PyxisException(List.of("pyxis: couldn't read /proc/" + pid + "/environ",
                    "pyxis: couldn't read container environment"));
        }
        return new StartedContainer(pid, namespacePid, environment, cwd, joins);
    }

    /**
     * What a process joins to make mounts in the container: its user namespace (which owns its mount namespace, and
     * in which joining gives the capabilities to mount), then its mount namespace.
     */
    static List<NamespaceJoin> mountJoins(boolean privileged) {
        return privileged ? List.of(NamespaceJoin.of(NamespaceKind.MNT))
                : List.of(NamespaceJoin.of(NamespaceKind.USER), NamespaceJoin.of(NamespaceKind.MNT));
    }

    private static List<NamespaceJoin> joins(ContainerProcesses processes, long pid, boolean privileged,
            Set<Namespace> unshare) {
        List<NamespaceJoin> joins = new ArrayList<>();
        try {
            if (!privileged) {
                joins.add(NamespaceJoin.of(NamespaceKind.USER));
            }
            // a cgroup namespace the container shares with the host is not joined: nothing to gain, and from inside
            // the container's user namespace the kernel would refuse it
            Optional<String> cgroup = processes.namespace(pid, NamespaceKind.CGROUP);
            if (cgroup.isPresent() && !cgroup.equals(processes.ownNamespace(NamespaceKind.CGROUP))) {
                joins.add(NamespaceJoin.of(NamespaceKind.CGROUP));
            }
            joins.add(NamespaceJoin.of(NamespaceKind.MNT));
            for (Namespace requestable : List.of(Namespace.IPC, Namespace.UTS, Namespace.NET)) {
                NamespaceKind kind = UNSHARE_KINDS.get(requestable);
                Optional<String> container = processes.namespace(pid, kind);
                boolean separate = container.isPresent() && !container.equals(processes.ownNamespace(kind));
                if (unshare.contains(requestable) && !separate) {
                    throw new PyxisException("pyxis: error: --container-unshare=" + requestable.keyword()
                            + " requested but the container is not in a separate " + kind.description()
                            + " namespace");
                }
                if (separate) {
                    joins.add(NamespaceJoin.of(kind));
                }
            }
        } catch (InspectionException failed) {
            throw new PyxisException("pyxis: couldn't get container namespaces");
        }
        return joins;
    }
}
