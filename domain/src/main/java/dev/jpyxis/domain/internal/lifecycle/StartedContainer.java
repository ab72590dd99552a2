package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.option.Namespace;
import dev.jpyxis.domain.plan.ContainerSetup;
import dev.jpyxis.domain.plan.NamespaceJoin;
import dev.jpyxis.domain.port.out.ContainerLaunch;
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
            Set<Namespace> unshare, boolean nestedUserNamespace) {
        List<NamespaceJoin> joins = joins(processes, namespacePid, privileged, unshare, nestedUserNamespace);
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
     * What jpyxis finishes in a started container for the runtime: the loopback interface of a network namespace the
     * start made (from the user namespace that owns it), then the mounts (from the container's user
     * namespace, which owns its mount namespace, and joining which gives the capabilities to mount).
     */
    static List<ContainerSetup> setup(ContainerLaunch launch, boolean privileged) {
        List<ContainerSetup> setup = new ArrayList<>();
        if (launch.unshare().contains(Namespace.NET)) {
            if (!privileged) {
                setup.add(new ContainerSetup.Join(NamespaceJoin.ownerOf(NamespaceKind.NET)));
            }
            setup.add(new ContainerSetup.Join(NamespaceJoin.of(NamespaceKind.NET)));
            setup.add(new ContainerSetup.LoopbackUp("pyxis: --container-unshare=net: couldn't bring up the loopback"
                    + " interface"));
        }
        if (!launch.mounts().isEmpty()) {
            if (!privileged) {
                setup.add(new ContainerSetup.Join(NamespaceJoin.of(NamespaceKind.USER)));
            }
            setup.add(new ContainerSetup.Join(NamespaceJoin.of(NamespaceKind.MNT)));
            setup.addAll(launch.mounts());
        }
        return setup;
    }

    /**
     * User, cgroup, mount, then the separate IPC, UTS and network namespaces. Where the runtime nested its user
     * namespace in the one owning those separate namespaces, they are joined first, from that owner (whose
     * capabilities joining them needs), and then the container's own user namespace.
     */
    private static List<NamespaceJoin> joins(ContainerProcesses processes, long pid, boolean privileged,
            Set<Namespace> unshare, boolean nestedUserNamespace) {
        List<NamespaceJoin> joins = new ArrayList<>();
        List<NamespaceJoin> separate = new ArrayList<>();
        try {
            for (Namespace requestable : List.of(Namespace.IPC, Namespace.UTS, Namespace.NET)) {
                NamespaceKind kind = UNSHARE_KINDS.get(requestable);
                Optional<String> container = processes.namespace(pid, kind);
                boolean isSeparate = container.isPresent() && !container.equals(processes.ownNamespace(kind));
                if (unshare.contains(requestable) && !isSeparate) {
                    throw new PyxisException("pyxis: error: --container-unshare=" + requestable.keyword()
                            + " requested but the container is not in a separate " + kind.description()
                            + " namespace");
                }
                if (isSeparate) {
                    separate.add(NamespaceJoin.of(kind));
                }
            }
            boolean parentFirst = nestedUserNamespace && !privileged && !separate.isEmpty();
            if (parentFirst) {
                joins.add(NamespaceJoin.ownerOf(separate.get(0).kind()));
                joins.addAll(separate);
            }
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
            if (!parentFirst) {
                joins.addAll(separate);
            }
        } catch (InspectionException failed) {
            throw new PyxisException("pyxis: couldn't get container namespaces");
        }
        return joins;
    }
}
