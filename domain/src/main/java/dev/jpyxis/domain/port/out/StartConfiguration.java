package dev.jpyxis.domain.port.out;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.option.Namespace;
import dev.jpyxis.domain.option.TriState;
import java.util.List;
import dev.jpyxis.domain.internal.mount.MountPlanning;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the domain decided about how a container starts; each runtime turns it into its own terms (enroot: a
 * {@code --conf} script and {@code ENROOT_*} variables).
 *
 * @param target            the container name, or the squashfs file when starting directly from it
 * @param fromSquashfsFile  whether {@code target} is a squashfs file (squashfuse start)
 * @param mounts            the user's mounts after the runtime's own, in order
 * @param executeEntrypoint whether the image's entrypoint runs; if not, the start command runs directly
 * @param environmentNames  {@code --container-env} names, injected before the entrypoint when set and non-empty in
 *                          {@code environment}
 * @param mountHome         {@code --[no-]container-mount-home}; unset leaves the runtime's configuration in charge
 * @param remapRoot         {@code --[no-]container-remap-root}
 * @param writable          {@code --container-writable} / {@code --container-readonly}
 * @param unshare           namespaces requested with {@code --container-unshare}
 * @param environment       the environment of the runtime's process (docs/pyxis-compatibility.md#runtime-environment)
 * @param command           what the container's first process runs: stop itself, then exit when continued
 */
public record StartConfiguration(
        String target,
        boolean fromSquashfsFile,
        List<FstabEntry> mounts,
        boolean executeEntrypoint,
        List<String> environmentNames,
        TriState mountHome,
        TriState remapRoot,
        TriState writable,
        Set<Namespace> unshare,
        Environment environment,
        List<String> command) {

    /** The first process stops itself so tasks can join it, and exits once continued. */
    public static final List<String> STOP_THEN_EXIT = List.of("sh", "-c", "kill -STOP $$ ; exit 0");

    public StartConfiguration {
        Objects.requireNonNull(target, "target");
        mounts = List.copyOf(mounts);
        environmentNames = List.copyOf(environmentNames);
        Objects.requireNonNull(mountHome, "mountHome");
        Objects.requireNonNull(remapRoot, "remapRoot");
        Objects.requireNonNull(writable, "writable");
        unshare = Set.copyOf(unshare);
        Objects.requireNonNull(environment, "environment");
        command = List.copyOf(command);
    }

    /**
     * Where the user's home goes with {@code --container-mount-home}, for runtimes without a home hook of their own:
     * at the same path, or at {@code /root} when root is remapped, as enroot's hook does.
     *
     * @param runtimeEnvironment the environment the runtime runs with, whose {@code HOME} is the user's
     */
    public Optional<HomeMount> homeMount(Environment runtimeEnvironment) {
        return MountPlanning.homeMount(mountHome == TriState.TRUE, remapRoot == TriState.TRUE,
                runtimeEnvironment.get("HOME"));
    }

    /** The home directory's bind mount and the {@code HOME} the container then sees. */
    public record HomeMount(String source, String target) {
        public FstabEntry entry() {
            return new FstabEntry(source, target, "x-create=dir,rbind,rw,nosuid");
        }
    }
}
