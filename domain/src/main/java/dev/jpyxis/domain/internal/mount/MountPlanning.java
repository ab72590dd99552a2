package dev.jpyxis.domain.internal.mount;

import dev.jpyxis.domain.port.out.FstabEntry;
import dev.jpyxis.domain.port.out.StartConfiguration;
import dev.jpyxis.domain.port.out.PathProbe;

import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.internal.option.MountEntry;
import dev.jpyxis.domain.internal.option.MountSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The mount rules between the option grammar and the runtime's fstab lines. */
public final class MountPlanning {

    /** The flags pyxis gives the batch script's bind mount, after the default {@code x-create=auto,rbind}. */
    public static final String BATCH_SCRIPT_FLAGS = "x-create=file,bind,ro,nosuid,nodev,private";

    private MountPlanning() {
    }

    /** The batch step's script, bind-mounted read-only at its own path so the script can run in the container. */
    public static MountEntry batchScriptMount(String scriptPath) {
        return new MountEntry(scriptPath, scriptPath, MountSource.PATH, BATCH_SCRIPT_FLAGS);
    }

    /** Adds a mount unless an identical one (source, target, flags) is already there. */
    public static List<MountEntry> withMount(List<MountEntry> mounts, MountEntry extra) {
        List<MountEntry> all = new ArrayList<>(mounts);
        if (!all.contains(extra)) {
            all.add(extra);
        }
        return all;
    }

    /**
     * Checks the node-side sources and turns the mounts into fstab entries, in order. Only absolute sources are
     * checked: relative ones are resolved by the runtime against the task's directory, {@code tmpfs} and
     * {@code umount} have no source.
     *
     * @param probe       looks at a path on the node
     * @param diagnostics receives the informational line for a source that could not be looked at
     * @throws PyxisException "source path does not exist" for a missing absolute source
     */
    public static List<FstabEntry> fstabEntries(List<MountEntry> mounts, Function<String, PathProbe> probe,
            List<Diagnostic> diagnostics) {
        List<FstabEntry> entries = new ArrayList<>(mounts.size());
        for (MountEntry mount : mounts) {
            if (mount.sourceIsPath() && mount.source().startsWith("/")) {
                PathProbe found = probe.apply(mount.source());
                if (found instanceof PathProbe.Missing) {
                    throw new PyxisException("pyxis: --container-mounts: source path does not exist: "
                            + mount.source());
                }
                if (found instanceof PathProbe.Unreadable unreadable) {
                    diagnostics.add(Diagnostic.info("pyxis: --container-mounts: cannot stat source path "
                            + mount.source() + ": " + unreadable.reason()));
                }
            }
            entries.add(FstabEntry.of(mount));
        }
        return entries;
    }

    /**
     * Where the user's home goes with {@code --container-mount-home}, for runtimes without a home hook of their own:
     * at the same path, or at {@code /root} (with {@code HOME=/root}) when root is remapped, as enroot's hook does.
     */
    public static Optional<StartConfiguration.HomeMount> homeMount(boolean mountHome, boolean remapRoot, Optional<String> home) {
        if (!mountHome || home.isEmpty() || home.get().isEmpty()) {
            return Optional.empty();
        }
        String target = remapRoot ? "/root" : home.get();
        return Optional.of(new StartConfiguration.HomeMount(home.get(), target));
    }
}
