package dev.jpyxis.domain.plan;

import java.util.Objects;
import java.util.Set;

/**
 * One mount system call made inside a started container's mount namespace, for runtimes that cannot make it
 * themselves (docs/runtimes.md#charliecloud-runtimecharliecloud).
 */
public sealed interface ContainerMount extends ContainerSetup {

    String target();

    String failure();

    /**
     * {@code mount(source, target, type, flags, data)}; an empty source, type or data is passed as NULL. With
     * {@code keepLockedFlags}, the flags the target's mount has now (read with {@code statvfs}) are added first: in a
     * user namespace the kernel refuses a remount that would clear a flag locked by a more privileged namespace.
     */
    record Call(String source, String target, String type, Set<MountFlag> flags, String data,
            boolean keepLockedFlags, String failure) implements ContainerMount {
        public Call {
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(type, "type");
            flags = Set.copyOf(flags);
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(failure, "failure");
            if (!target.startsWith("/")) {
                throw new IllegalArgumentException("a container mount target must be absolute: " + target);
            }
        }
    }

    /** {@code umount2(target, MNT_DETACH)}. */
    record Detach(String target, String failure) implements ContainerMount {
        public Detach {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(failure, "failure");
            if (!target.startsWith("/")) {
                throw new IllegalArgumentException("a container mount target must be absolute: " + target);
            }
        }
    }
}
