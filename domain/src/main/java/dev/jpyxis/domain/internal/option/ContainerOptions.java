package dev.jpyxis.domain.internal.option;

import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.Namespace;
import dev.jpyxis.domain.option.TriState;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The container options of one submission or step, after command line and {@code PYXIS_CONTAINER_*}
 * defaults. Immutable.
 */
public final class ContainerOptions {

    private final String image;
    private final List<MountEntry> mounts;
    private final String workdir;
    private final ContainerNameRequest name;
    private final String save;
    private final TriState mountHome;
    private final TriState remapRoot;
    private final TriState entrypoint;
    private final TriState entrypointLog;
    private final TriState writable;
    private final List<String> environmentNames;
    private final Set<Namespace> unshare;

    ContainerOptions(String image, List<MountEntry> mounts, String workdir, ContainerNameRequest name, String save,
            TriState mountHome, TriState remapRoot, TriState entrypoint, TriState entrypointLog, TriState writable,
            List<String> environmentNames, Set<Namespace> unshare) {
        this.image = image;
        this.mounts = List.copyOf(mounts);
        this.workdir = workdir;
        this.name = name;
        this.save = save;
        this.mountHome = mountHome;
        this.remapRoot = remapRoot;
        this.entrypoint = entrypoint;
        this.entrypointLog = entrypointLog;
        this.writable = writable;
        this.environmentNames = List.copyOf(environmentNames);
        this.unshare = unshare.isEmpty()
                ? Collections.emptySet()
                : Collections.unmodifiableSet(EnumSet.copyOf(unshare));
    }

    /** No container option at all. */
    public static ContainerOptions none() {
        return new ContainerOptionsParser().result();
    }

    public Optional<String> image() {
        return Optional.ofNullable(image);
    }

    public List<MountEntry> mounts() {
        return mounts;
    }

    public Optional<String> workdir() {
        return Optional.ofNullable(workdir);
    }

    public Optional<ContainerNameRequest> name() {
        return Optional.ofNullable(name);
    }

    public Optional<String> save() {
        return Optional.ofNullable(save);
    }

    public TriState mountHome() {
        return mountHome;
    }

    public TriState remapRoot() {
        return remapRoot;
    }

    public TriState entrypoint() {
        return entrypoint;
    }

    public TriState entrypointLog() {
        return entrypointLog;
    }

    public TriState writable() {
        return writable;
    }

    /** Names given with {@code --container-env}, unique, in first-seen order. */
    public List<String> environmentNames() {
        return environmentNames;
    }

    public Set<Namespace> unshare() {
        return unshare;
    }

    /** Pyxis acts on a step only when an image or a name is given. */
    public boolean isEnabled() {
        return image != null || name != null;
    }

    /**
     * The options as command-line arguments, one per element, in option-table order. Feeding them back
     * through the parser gives equal options.
     */
    public List<String> normalizedArguments() {
        List<String> args = new ArrayList<>();
        image().ifPresent(value -> args.add(ContainerOption.IMAGE.flag() + "=" + value));
        for (MountEntry mount : mounts) {
            args.add(ContainerOption.MOUNTS.flag() + "=" + mount.argument());
        }
        workdir().ifPresent(value -> args.add(ContainerOption.WORKDIR.flag() + "=" + value));
        name().ifPresent(value -> args.add(ContainerOption.NAME.flag() + "=" + value.argument()));
        save().ifPresent(value -> args.add(ContainerOption.SAVE.flag() + "=" + value));
        addToggle(args, mountHome, ContainerOption.MOUNT_HOME, ContainerOption.NO_MOUNT_HOME);
        addToggle(args, remapRoot, ContainerOption.REMAP_ROOT, ContainerOption.NO_REMAP_ROOT);
        addToggle(args, entrypoint, ContainerOption.ENTRYPOINT, ContainerOption.NO_ENTRYPOINT);
        if (entrypointLog == TriState.TRUE) {
            args.add(ContainerOption.ENTRYPOINT_LOG.flag());
        }
        addToggle(args, writable, ContainerOption.WRITABLE, ContainerOption.READONLY);
        if (!environmentNames.isEmpty()) {
            args.add(ContainerOption.ENV.flag() + "=" + String.join(",", environmentNames));
        }
        if (!unshare.isEmpty()) {
            List<String> keywords = new ArrayList<>();
            for (Namespace ns : unshare) {
                keywords.add(ns.keyword());
            }
            args.add(ContainerOption.UNSHARE.flag() + "=" + String.join(",", keywords));
        }
        return args;
    }

    private static void addToggle(List<String> args, TriState value, ContainerOption on, ContainerOption off) {
        if (value == TriState.TRUE) {
            args.add(on.flag());
        } else if (value == TriState.FALSE) {
            args.add(off.flag());
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ContainerOptions that && normalizedArguments().equals(that.normalizedArguments())
                && entrypointLog == that.entrypointLog;
    }

    @Override
    public int hashCode() {
        return normalizedArguments().hashCode();
    }

    @Override
    public String toString() {
        return "ContainerOptions" + normalizedArguments();
    }
}
