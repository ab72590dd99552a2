package dev.jpyxis.domain.option;

import java.util.Arrays;
import java.util.Optional;

/**
 * The sixteen {@code --container-*} options of pyxis 0.24: the single source of truth for
 * their names, argument grammar, SPANK registration values and {@code --help} texts.
 * The native shim's registration table is generated from this enum at build time.
 */
public enum ContainerOption {
    IMAGE("container-image", "[USER@][REGISTRY#]IMAGE[:TAG]|PATH", ArgumentKind.REQUIRED, 0,
            "the image to use for the container filesystem. Can be either a docker image given as"
                    + " an enroot URI, or a path to a squashfs file on the remote host filesystem."),
    MOUNTS("container-mounts", "SRC:DST[:FLAGS][,SRC:DST...]", ArgumentKind.REQUIRED, 0,
            "bind mount[s] inside the container. Mount flags are separated with \"+\", e.g. \"ro+rprivate\""),
    WORKDIR("container-workdir", "PATH", ArgumentKind.REQUIRED, 0,
            "working directory inside the container"),
    NAME("container-name", "NAME", ArgumentKind.REQUIRED, 0,
            "name to use for saving and loading the container on the host. Unnamed containers are removed"
                    + " after the slurm task is complete; named containers are not. If a container with this"
                    + " name already exists, the existing container is used and the import is skipped."),
    SAVE("container-save", "PATH", ArgumentKind.REQUIRED, 0,
            "Save the container state to a squashfs file on the remote host filesystem."),
    MOUNT_HOME("container-mount-home", null, ArgumentKind.NONE, 1,
            "bind mount the user's home directory. System-level enroot settings might cause this"
                    + " directory to be already-mounted."),
    NO_MOUNT_HOME("no-container-mount-home", null, ArgumentKind.NONE, 0,
            "do not bind mount the user's home directory"),
    REMAP_ROOT("container-remap-root", null, ArgumentKind.NONE, 1,
            "ask to be remapped to root inside the container. Does not grant elevated system permissions,"
                    + " despite appearances."),
    NO_REMAP_ROOT("no-container-remap-root", null, ArgumentKind.NONE, 0,
            "do not remap to root inside the container"),
    ENTRYPOINT("container-entrypoint", null, ArgumentKind.NONE, 1,
            "execute the entrypoint from the container image"),
    NO_ENTRYPOINT("no-container-entrypoint", null, ArgumentKind.NONE, 0,
            "do not execute the entrypoint from the container image"),
    ENTRYPOINT_LOG("container-entrypoint-log", null, ArgumentKind.NONE, 1,
            "print the output of the entrypoint script"),
    WRITABLE("container-writable", null, ArgumentKind.NONE, 1,
            "make the container filesystem writable"),
    READONLY("container-readonly", null, ArgumentKind.NONE, 0,
            "make the container filesystem read-only"),
    ENV("container-env", "NAME[,NAME...]", ArgumentKind.REQUIRED, 0,
            "names of environment variables to override with the host environment and set at the entrypoint."
                    + " By default, all exported host environment variables are set in the container after the"
                    + " entrypoint is run, but their existing values in the image take precedence; the"
                    + " variables specified with this flag are preserved from the host and set before the"
                    + " entrypoint runs"),
    UNSHARE("container-unshare", "NS[,NS...]", ArgumentKind.REQUIRED, 1,
            "create new namespaces for the container. Supported: net, ipc, uts.");

    /** The prefix of the variables that give an option a default from the environment, {@code PYXIS_CONTAINER_*}. */
    public static final String ENVIRONMENT_PREFIX = "PYXIS_CONTAINER_";

    /** What Slurm puts in front of every plugin option's description in {@code --help}. */
    public static final String HELP_PREFIX = "[pyxis] ";

    private final String name;
    private final String argInfo;
    private final ArgumentKind argumentKind;
    private final int spankVal;
    private final String description;

    ContainerOption(String name, String argInfo, ArgumentKind argumentKind, int spankVal, String description) {
        this.name = name;
        this.argInfo = argInfo;
        this.argumentKind = argumentKind;
        this.spankVal = spankVal;
        this.description = description;
    }

    /** The option name without leading dashes, as registered with SPANK. */
    public String optionName() {
        return name;
    }

    /** The option as a user types it, e.g. {@code --container-image}. */
    public String flag() {
        return "--" + name;
    }

    /** The argument placeholder shown by {@code --help}; empty for options without argument. */
    public Optional<String> argInfo() {
        return Optional.ofNullable(argInfo);
    }

    public ArgumentKind argumentKind() {
        return argumentKind;
    }

    public boolean takesArgument() {
        return argumentKind == ArgumentKind.REQUIRED;
    }

    /** The {@code val} SPANK passes back to the option callback. */
    public int spankVal() {
        return spankVal;
    }

    /** The {@code --help} text as registered, including the {@code [pyxis]} prefix. */
    public String usage() {
        return HELP_PREFIX + description;
    }

    /** Looks an option up by its exact name, with or without leading dashes. */
    public static Optional<ContainerOption> byName(String nameOrFlag) {
        String bare = nameOrFlag.startsWith("--") ? nameOrFlag.substring(2) : nameOrFlag;
        return Arrays.stream(values()).filter(option -> option.name.equals(bare)).findFirst();
    }
}
