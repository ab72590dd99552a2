package dev.jpyxis.domain.internal.option;

import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.Namespace;
import dev.jpyxis.domain.option.OptionUse;
import dev.jpyxis.domain.option.TriState;

import dev.jpyxis.domain.message.Diagnostic;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Accumulates container options the way pyxis's option callbacks do: one call per option occurrence,
 * in command-line order, each either recording its value or failing with pyxis's exact text.
 * Then {@link #applyEnvironmentDefaults} fills what the command line left unset.
 */
public final class ContainerOptionsParser {

    private String image;
    private final List<MountEntry> mounts = new ArrayList<>();
    /** The mounts already given, for dropping repeats in constant time: a step may name thousands. */
    private final Set<MountEntry> distinctMounts = new HashSet<>();
    private String workdir;
    private ContainerNameRequest name;
    private String save;
    private TriState mountHome = TriState.UNSET;
    private TriState remapRoot = TriState.UNSET;
    private TriState entrypoint = TriState.UNSET;
    private TriState entrypointLog = TriState.UNSET;
    private TriState writable = TriState.UNSET;
    private final Set<String> environmentNames = new LinkedHashSet<>();
    private final Set<Namespace> unshare = EnumSet.noneOf(Namespace.class);

    /** Parses a whole sequence of option uses, failing at the first rejected one. */
    public static ContainerOptions parse(List<OptionUse> uses) {
        ContainerOptionsParser parser = new ContainerOptionsParser();
        uses.forEach(parser::accept);
        return parser.result();
    }

    public void accept(OptionUse use) {
        accept(use.option(), use.argument());
    }

    /**
     * Records one occurrence of {@code option}. {@code argument} is ignored for options without argument and
     * may be {@code null} (treated as empty) for the others.
     *
     * @throws InvalidOptionException with pyxis's error lines when the value is rejected
     */
    public void accept(ContainerOption option, String argument) {
        String value = argument == null ? "" : argument;
        switch (option) {
            case IMAGE -> image = single(option, image, value);
            case MOUNTS -> addMounts(value);
            case WORKDIR -> workdir = single(option, workdir, value);
            case NAME -> setName(value);
            case SAVE -> setSave(value);
            case MOUNT_HOME, NO_MOUNT_HOME -> mountHome = toggle(mountHome, option,
                    ContainerOption.MOUNT_HOME, ContainerOption.NO_MOUNT_HOME);
            case REMAP_ROOT, NO_REMAP_ROOT -> remapRoot = toggle(remapRoot, option,
                    ContainerOption.REMAP_ROOT, ContainerOption.NO_REMAP_ROOT);
            case ENTRYPOINT, NO_ENTRYPOINT -> entrypoint = toggle(entrypoint, option,
                    ContainerOption.ENTRYPOINT, ContainerOption.NO_ENTRYPOINT);
            case ENTRYPOINT_LOG -> entrypointLog = TriState.TRUE;
            case WRITABLE, READONLY -> writable = toggle(writable, option,
                    ContainerOption.WRITABLE, ContainerOption.READONLY);
            case ENV -> addEnvironmentNames(value);
            case UNSHARE -> addUnshare(value);
        }
    }

    /**
     * Applies the {@code PYXIS_CONTAINER_*} variables to every field the command line left unset. As in pyxis,
     * a value that would be rejected on the command line is reported and otherwise ignored, and an unparsable
     * boolean is ignored silently.
     *
     * @param environment looks a variable up; empty when it is not set
     * @return the error lines of rejected values, to be logged
     */
    public List<Diagnostic> applyEnvironmentDefaults(Function<String, Optional<String>> environment) {
        List<Diagnostic> ignored = new ArrayList<>();
        for (EnvironmentDefault variable : EnvironmentDefault.values()) {
            if (!variable.appliesTo(this)) {
                continue;
            }
            Optional<String> value = environment.apply(variable.variableName());
            if (value.isEmpty()) {
                continue;
            }
            try {
                variable.apply(this, value.get());
            } catch (InvalidOptionException rejected) {
                rejected.lines().forEach(line -> ignored.add(Diagnostic.error(line)));
            }
        }
        return ignored;
    }

    public ContainerOptions result() {
        return new ContainerOptions(image, mounts, workdir, name, save, mountHome, remapRoot, entrypoint,
                entrypointLog, writable, new ArrayList<>(environmentNames), unshare);
    }

    // ---- fields the environment defaults need to see and set

    boolean hasImage() {
        return image != null;
    }

    boolean hasMounts() {
        return !mounts.isEmpty();
    }

    boolean hasWorkdir() {
        return workdir != null;
    }

    boolean hasName() {
        return name != null;
    }

    boolean hasSave() {
        return save != null;
    }

    TriState mountHome() {
        return mountHome;
    }

    TriState remapRoot() {
        return remapRoot;
    }

    TriState entrypoint() {
        return entrypoint;
    }

    TriState entrypointLog() {
        return entrypointLog;
    }

    TriState writable() {
        return writable;
    }

    boolean hasEnvironmentNames() {
        return !environmentNames.isEmpty();
    }

    boolean hasUnshare() {
        return !unshare.isEmpty();
    }

    void setMountHome(boolean value) {
        mountHome = TriState.of(value);
    }

    void setRemapRoot(boolean value) {
        remapRoot = TriState.of(value);
    }

    void setEntrypoint(boolean value) {
        entrypoint = TriState.of(value);
    }

    void setEntrypointLog(boolean value) {
        entrypointLog = TriState.of(value);
    }

    void setWritable(boolean value) {
        writable = TriState.of(value);
    }

    // ---- the option callbacks

    private static String single(ContainerOption option, String current, String value) {
        if (value.isEmpty()) {
            throw argumentRequired(option);
        }
        if (current != null && !current.equals(value)) {
            throw multipleTimes(option);
        }
        return value;
    }

    private void addMounts(String value) {
        if (value.isEmpty()) {
            throw argumentRequired(ContainerOption.MOUNTS);
        }
        for (String entry : value.split(",", -1)) {
            MountEntry mount = parseMount(entry);
            if (distinctMounts.add(mount)) {
                mounts.add(mount);
            }
        }
    }

    private static MountEntry parseMount(String entry) {
        int firstColon = entry.indexOf(':');
        String source = firstColon < 0 ? entry : entry.substring(0, firstColon);
        String target;
        String userFlags = "";
        if (firstColon < 0) {
            target = source;
        } else {
            String rest = entry.substring(firstColon + 1);
            int secondColon = rest.indexOf(':');
            target = secondColon < 0 ? rest : rest.substring(0, secondColon);
            if (secondColon >= 0) {
                userFlags = rest.substring(secondColon + 1).replace('+', ',');
            }
        }
        if (source.isEmpty() || target.isEmpty()) {
            throw new InvalidOptionException("pyxis: --container-mounts: invalid format: " + entry);
        }
        MountSource kind = MountSource.classify(source);
        if (kind == null) {
            throw new InvalidOptionException(List.of(
                    "pyxis: mount source must be a relative path, an absolute path, \"tmpfs\" or \"umount\"",
                    couldNotAddMount(source, target)));
        }
        if (!PathText.isPathLike(target)) {
            throw new InvalidOptionException(List.of(
                    "pyxis: mount target must be a relative path or an absolute path",
                    couldNotAddMount(source, target)));
        }
        return new MountEntry(source, target, kind, userFlags);
    }

    private static String couldNotAddMount(String source, String target) {
        return "pyxis: could not add mount entry: " + source + ":" + target;
    }

    private void setName(String value) {
        if (value.isEmpty()) {
            throw argumentRequired(ContainerOption.NAME);
        }
        if (name != null) {
            // pyxis compares the raw new value with the recorded bare name, so "foo:exec" twice is rejected
            if (name.name().equals(value)) {
                return;
            }
            throw multipleTimes(ContainerOption.NAME);
        }
        int colon = value.indexOf(':');
        String bare = colon < 0 ? value : value.substring(0, colon);
        String flagText = colon < 0 ? "" : value.substring(colon + 1);
        if (bare.isEmpty()) {
            throw new InvalidOptionException("pyxis: --container-name: empty name");
        }
        NameFlag flag = flagText.isEmpty() ? NameFlag.AUTO : NameFlag.byKeyword(flagText).orElseThrow(
                () -> new InvalidOptionException(
                        "pyxis: --container-name: flag must be \"auto\", \"create\", \"exec\" or \"no_exec\""));
        name = new ContainerNameRequest(bare, flag);
    }

    private void setSave(String value) {
        if (value.isEmpty()) {
            throw argumentRequired(ContainerOption.SAVE);
        }
        if (value.endsWith("/")) {
            throw new InvalidOptionException("pyxis: --container-save: target is a directory");
        }
        save = single(ContainerOption.SAVE, save, value);
    }

    private static TriState toggle(TriState current, ContainerOption given, ContainerOption on, ContainerOption off) {
        TriState value = TriState.of(given == on);
        if (current.isSet() && current != value) {
            throw new InvalidOptionException("pyxis: both " + on.flag() + " and " + off.flag() + " were specified");
        }
        return value;
    }

    private void addEnvironmentNames(String value) {
        if (value.isEmpty()) {
            throw argumentRequired(ContainerOption.ENV);
        }
        for (String variable : value.split(",", -1)) {
            if (variable.isEmpty()) {
                throw new InvalidOptionException("pyxis: --container-env: invalid format: " + value);
            }
            environmentNames.add(variable);
        }
    }

    private void addUnshare(String value) {
        if (value.isEmpty()) {
            throw argumentRequired(ContainerOption.UNSHARE);
        }
        for (String keyword : value.split(",", -1)) {
            if (keyword.isEmpty()) {
                throw new InvalidOptionException("pyxis: --container-unshare: empty namespace argument");
            }
            Namespace namespace = Namespace.byKeyword(keyword).orElseThrow(() -> new InvalidOptionException(
                    "pyxis: --container-unshare: unknown namespace '" + keyword + "'"));
            unshare.add(namespace);
        }
    }

    private static InvalidOptionException argumentRequired(ContainerOption option) {
        return new InvalidOptionException("pyxis: " + option.flag() + ": argument required");
    }

    private static InvalidOptionException multipleTimes(ContainerOption option) {
        return new InvalidOptionException("pyxis: " + option.flag() + " specified multiple times");
    }
}
