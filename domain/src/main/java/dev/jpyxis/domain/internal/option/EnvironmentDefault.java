package dev.jpyxis.domain.internal.option;

import dev.jpyxis.domain.option.ContainerOption;


import dev.jpyxis.domain.config.PyxisBoolean;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The {@code PYXIS_CONTAINER_*} variables, in the order pyxis applies them, each with the condition under which
 * it applies (the corresponding option was not given) and how its value is fed in.
 */
enum EnvironmentDefault {
    IMAGE(ContainerOption.ENVIRONMENT_PREFIX + "IMAGE", parser -> !parser.hasImage(), callback(ContainerOption.IMAGE)),
    MOUNTS(ContainerOption.ENVIRONMENT_PREFIX + "MOUNTS",
            parser -> !parser.hasMounts(), callback(ContainerOption.MOUNTS)),
    WORKDIR(ContainerOption.ENVIRONMENT_PREFIX + "WORKDIR",
            parser -> !parser.hasWorkdir(), callback(ContainerOption.WORKDIR)),
    NAME(ContainerOption.ENVIRONMENT_PREFIX + "NAME", parser -> !parser.hasName(), callback(ContainerOption.NAME)),
    SAVE(ContainerOption.ENVIRONMENT_PREFIX + "SAVE", parser -> !parser.hasSave(), callback(ContainerOption.SAVE)),
    MOUNT_HOME(ContainerOption.ENVIRONMENT_PREFIX + "MOUNT_HOME", parser -> !parser.mountHome().isSet(),
            bool(ContainerOptionsParser::setMountHome)),
    REMAP_ROOT(ContainerOption.ENVIRONMENT_PREFIX + "REMAP_ROOT", parser -> !parser.remapRoot().isSet(),
            bool(ContainerOptionsParser::setRemapRoot)),
    ENTRYPOINT(ContainerOption.ENVIRONMENT_PREFIX + "ENTRYPOINT", parser -> !parser.entrypoint().isSet(),
            bool(ContainerOptionsParser::setEntrypoint)),
    ENTRYPOINT_LOG(ContainerOption.ENVIRONMENT_PREFIX + "ENTRYPOINT_LOG", parser -> !parser.entrypointLog().isSet(),
            bool(ContainerOptionsParser::setEntrypointLog)),
    WRITABLE(ContainerOption.ENVIRONMENT_PREFIX + "WRITABLE", parser -> !parser.writable().isSet(),
            bool(ContainerOptionsParser::setWritable)),
    READONLY(ContainerOption.ENVIRONMENT_PREFIX + "READONLY", parser -> !parser.writable().isSet(),
            bool((parser, readonly) -> parser.setWritable(!readonly))),
    ENV(ContainerOption.ENVIRONMENT_PREFIX + "ENV",
            parser -> !parser.hasEnvironmentNames(), callback(ContainerOption.ENV)),
    UNSHARE(ContainerOption.ENVIRONMENT_PREFIX + "UNSHARE",
            parser -> !parser.hasUnshare(), callback(ContainerOption.UNSHARE));

    private final String variableName;
    private final Predicate<ContainerOptionsParser> applies;
    private final BiConsumer<ContainerOptionsParser, String> apply;

    EnvironmentDefault(String variableName, Predicate<ContainerOptionsParser> applies,
            BiConsumer<ContainerOptionsParser, String> apply) {
        this.variableName = variableName;
        this.applies = applies;
        this.apply = apply;
    }

    String variableName() {
        return variableName;
    }

    boolean appliesTo(ContainerOptionsParser parser) {
        return applies.test(parser);
    }

    void apply(ContainerOptionsParser parser, String value) {
        apply.accept(parser, value);
    }

    private static BiConsumer<ContainerOptionsParser, String> callback(ContainerOption option) {
        return (parser, value) -> parser.accept(option, value);
    }

    private static BiConsumer<ContainerOptionsParser, String> bool(BiConsumer<ContainerOptionsParser, Boolean> set) {
        return (parser, value) -> PyxisBoolean.parse(value).ifPresent(parsed -> set.accept(parser, parsed));
    }
}
