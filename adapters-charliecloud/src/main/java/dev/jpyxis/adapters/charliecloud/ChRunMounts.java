package dev.jpyxis.adapters.charliecloud;

import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.plan.ContainerMount;
import dev.jpyxis.domain.plan.MountFlag;
import dev.jpyxis.domain.port.out.FstabEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * pyxis's mounts with Charliecloud: {@code ch-run --bind} makes the bind mounts (it is the only one that sees the
 * host's paths) and nothing else, so every other part of an fstab entry (flags such as {@code ro}, {@code nosuid},
 * propagation, {@code tmpfs}, {@code umount}) becomes a {@link ContainerMount} the task's shim makes in the container's
 * mount namespace before any task joins it. The options mean what they mean to enroot's {@code enroot-mount}, which
 * pyxis writes them for: known words are flags, other words are the file system's data.
 */
final class ChRunMounts {

    /** A word of the options and what it does to the flags: sets or clears one. */
    private record Word(MountFlag flag, boolean clears) {
    }

    private static final Map<String, Optional<Word>> WORDS = words();

    private final List<String> binds = new ArrayList<>();
    private final List<ContainerMount> inside = new ArrayList<>();
    /** Every target so far, and the host directory behind it (a bind's source; empty for a tmpfs or umount). */
    private final Map<String, Optional<String>> targets = new LinkedHashMap<>();

    /** The {@code --bind} arguments of ch-run, in order. */
    List<String> binds() {
        return List.copyOf(binds);
    }

    /** What the shim makes in the container afterwards, in order. */
    List<ContainerMount> inside() {
        return List.copyOf(inside);
    }

    /**
     * Reads the entries in order; each target is created first (in the unpacked image, or in the host directory
     * an earlier bind mount put there), as {@code x-create} asks.
     *
     * @throws PyxisException for what Charliecloud cannot do: a bind mount below an earlier tmpfs or umount (ch-run
     *                        binds before anything else is mounted), an option enroot-mount would not take
     */
    static ChRunMounts of(List<FstabEntry> entries, Path root, Path workingDirectory) {
        ChRunMounts mounts = new ChRunMounts();
        for (FstabEntry entry : entries) {
            mounts.add(entry, root, workingDirectory);
        }
        return mounts;
    }

    private void add(FstabEntry entry, Path root, Path workingDirectory) {
        String target = Path.of("/").resolve(entry.target()).normalize().toString();
        Options options = Options.parse(entry.options());
        String described = entry.source() + ":" + entry.target();
        if (options.words.contains("x-move")) {
            throw new PyxisException("pyxis: --container-mounts: x-move is not supported by the charliecloud runtime: "
                    + described);
        }
        if (options.words.contains("x-detach")) {
            inside.add(new ContainerMount.Detach(target, "pyxis: --container-mounts: failed to unmount: " + target));
            targets.put(target, Optional.empty());
            return;
        }
        boolean tmpfs = entry.source().equals("tmpfs");
        Optional<String> hostDirectory = Optional.empty();
        if (!tmpfs) {
            if (!options.flags.contains(MountFlag.BIND)) {
                throw new PyxisException("pyxis: --container-mounts: only bind mounts of paths are supported by the"
                        + " charliecloud runtime: " + described);
            }
            below(target).filter(above -> targets.get(above).isEmpty()).ifPresent(above -> {
                throw new PyxisException("pyxis: --container-mounts: " + described + " is below the mount at " + above
                        + ", which the charliecloud runtime cannot do (ch-run makes bind mounts first): list it"
                        + " before that mount");
            });
            hostDirectory = Optional.of(workingDirectory.resolve(entry.source()).toString());
            binds.add("--bind=" + entry.source() + ":" + target);
        }
        BindTargets.create(hostPath(target, root), options.creates(), workingDirectory.resolve(entry.source()),
                entry.target());
        targets.put(target, hostDirectory);
        // ch-run's bind is recursive, as pyxis's default rbind asks: what is left is a remount with the other flags
        Set<MountFlag> generic = EnumSet.noneOf(MountFlag.class);
        options.flags.stream().filter(flag -> !flag.propagation()).forEach(generic::add);
        String failure = "pyxis: --container-mounts: failed to mount: " + entry.source() + " at " + target;
        if (tmpfs) {
            inside.add(new ContainerMount.Call("tmpfs", target, "tmpfs", generic, options.data(), false, failure));
        } else {
            if (!EnumSet.of(MountFlag.BIND).containsAll(generic) || !options.data().isEmpty()) {
                generic.add(MountFlag.REMOUNT);
                inside.add(new ContainerMount.Call("", target, "", generic, options.data(), true, failure));
            }
        }
        for (MountFlag propagation : options.flags) {
            if (propagation.propagation()) {
                Set<MountFlag> flags = EnumSet.of(propagation);
                if (options.words.contains("r" + propagation.name().toLowerCase(java.util.Locale.ROOT))) {
                    flags.add(MountFlag.REC);
                }
                inside.add(new ContainerMount.Call("", target, "", flags, "", false,
                        "pyxis: --container-mounts: failed to set mount propagation: " + target));
            }
        }
    }

    /** The closest earlier target that contains this one. */
    private Optional<String> below(String target) {
        String found = null;
        for (String earlier : targets.keySet()) {
            if (target.startsWith(earlier.endsWith("/") ? earlier : earlier + "/")
                    && (found == null || earlier.length() > found.length())) {
                found = earlier;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Where a path of the container is on the host: below the closest bind mount, else in the image. */
    private Path hostPath(String target, Path root) {
        Optional<String> bind = below(target).filter(above -> targets.get(above).isPresent());
        if (bind.isPresent()) {
            return Path.of(targets.get(bind.get()).get()).resolve(Path.of(bind.get()).relativize(Path.of(target))
                    .toString());
        }
        Path inImage = root.resolve(Path.of("/").relativize(Path.of(target)).toString()).normalize();
        if (!inImage.startsWith(root)) {
            throw new PyxisException("pyxis: --container-mounts: target escapes the container: " + target);
        }
        return inImage;
    }

    /** An fstab options field read as enroot-mount reads it. */
    private record Options(List<String> words, Set<MountFlag> flags, List<String> dataWords) {

        static Options parse(String field) {
            List<String> words = new ArrayList<>();
            Set<MountFlag> flags = EnumSet.noneOf(MountFlag.class);
            List<String> data = new ArrayList<>();
            for (String word : field.split(",")) {
                if (word.isEmpty()) {
                    continue;
                }
                words.add(word);
                Optional<Word> known = WORDS.get(word);
                if (known == null) {
                    data.add(word);
                } else if (known.isPresent() && known.get().clears()) {
                    flags.remove(known.get().flag());
                } else if (known.isPresent()) {
                    flags.add(known.get().flag());
                }
            }
            return new Options(words, flags, data);
        }

        String data() {
            return String.join(",", dataWords);
        }

        /** What {@code x-create} asks for: the last one given wins, as in enroot-mount's order of checks. */
        BindTargets.Create creates() {
            if (words.contains("x-create=file")) {
                return BindTargets.Create.FILE;
            }
            if (words.contains("x-create=dir")) {
                return BindTargets.Create.DIRECTORY;
            }
            return words.contains("x-create=auto") ? BindTargets.Create.AUTO : BindTargets.Create.NOTHING;
        }
    }

    private static Map<String, Optional<Word>> words() {
        Map<String, Optional<Word>> words = new LinkedHashMap<>();
        sets(words, MountFlag.SYNCHRONOUS, "sync", "async");
        sets(words, MountFlag.NOATIME, "noatime", "atime");
        sets(words, MountFlag.NODEV, "nodev", "dev");
        sets(words, MountFlag.NODIRATIME, "nodiratime", "diratime");
        sets(words, MountFlag.NOEXEC, "noexec", "exec");
        sets(words, MountFlag.I_VERSION, "iversion", "noiversion");
        sets(words, MountFlag.SILENT, "silent", "loud");
        sets(words, MountFlag.MANDLOCK, "mand", "nomand");
        sets(words, MountFlag.RELATIME, "relatime", "norelatime");
        sets(words, MountFlag.STRICTATIME, "strictatime", "nostrictatime");
        sets(words, MountFlag.NOSUID, "nosuid", "suid");
        sets(words, MountFlag.RDONLY, "ro", "rw");
        sets(words, MountFlag.LAZYTIME, "lazytime", "nolazytime");
        words.put("dirsync", Optional.of(new Word(MountFlag.DIRSYNC, false)));
        words.put("bind", Optional.of(new Word(MountFlag.BIND, false)));
        words.put("rbind", Optional.of(new Word(MountFlag.BIND, false)));
        words.put("remount", Optional.of(new Word(MountFlag.REMOUNT, false)));
        for (MountFlag propagation : List.of(MountFlag.PRIVATE, MountFlag.SHARED, MountFlag.SLAVE,
                MountFlag.UNBINDABLE)) {
            String name = propagation.name().toLowerCase(java.util.Locale.ROOT);
            words.put(name, Optional.of(new Word(propagation, false)));
            words.put("r" + name, Optional.of(new Word(propagation, false)));
        }
        for (String ignored : List.of("auto", "defaults", "group", "noauto", "nofail", "nogroup", "noowner",
                "nouser", "nousers", "owner", "user", "users", "x-create=dir", "x-create=file", "x-create=auto",
                "x-move", "x-detach")) {
            words.put(ignored, Optional.empty());
        }
        return Map.copyOf(words);
    }

    private static void sets(Map<String, Optional<Word>> words, MountFlag flag, String set, String clear) {
        words.put(set, Optional.of(new Word(flag, false)));
        words.put(clear, Optional.of(new Word(flag, true)));
    }
}
