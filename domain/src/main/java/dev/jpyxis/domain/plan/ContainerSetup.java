package dev.jpyxis.domain.plan;

import java.util.Objects;

/**
 * One step of what a child of the setup task does in a started container before any task joins it: join one of its
 * namespaces, bring up the loopback interface of the network namespace it is in, or make a mount
 * ({@link ContainerMount}). A failing step reports its {@code failure} text followed by {@code ": "} and the system's
 * reason, and the start counts as failed.
 */
public sealed interface ContainerSetup permits ContainerSetup.Join, ContainerSetup.LoopbackUp, ContainerMount {

    /** Join one namespace of the container's first process. */
    record Join(NamespaceJoin namespace) implements ContainerSetup {
        public Join {
            Objects.requireNonNull(namespace, "namespace");
        }
    }

    /** Set {@code IFF_UP} on {@code lo}, as enroot does in a network namespace of the container's own. */
    record LoopbackUp(String failure) implements ContainerSetup {
        public LoopbackUp {
            Objects.requireNonNull(failure, "failure");
        }
    }
}
