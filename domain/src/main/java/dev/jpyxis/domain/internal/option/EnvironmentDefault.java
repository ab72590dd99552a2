package dev.jpyxis.domain.internal.option;

import dev.jpyxis.domain.option.ContainerOption;


import dev.jpyxis.domain.internal.common.PyxisBoolean;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * The {@code PYXIS_CONTAINER_*} variables, in the order pyxis applies them, each with the condition under which
 * it applies (the corresponding option was not given) and how its value is fed in.
 */
enum EnvironmentDefault {
    IMAGE("PYXIS_CONTAINER_IMAGE", parser -> !parser.hasImage(), callback(ContainerOption.IMAGE)),
    MOUNTS("PYXIS_CONTAINER_MOUNTS", parser -> !parser.hasMounts(), callback(ContainerOption.MOUNTS)),
    WORKDIR("PYXIS_CONTAINER_WORKDIR", parser -> !parser.hasWorkdir(), callback(ContainerOption.WORKDIR)),
    NAME("PYXIS_CONTAINER_NAME", parser -> !parser.hasName(), callback(ContainerOption.NAME)),
    SAVE("PYXIS_CONTAINER_SAVE", parser -> !parser.hasSave(), callback(ContainerOption.SAVE)),
    MOUNT_HOME("PYXIS_CONTAINER_MOUNT_HOME", parser -> !parser.mountHome().isSet(),
            bool(ContainerOptionsParser::setMountHome)),
    REMAP_ROOT("PYXIS_CONTAINER_REMAP_ROOT", parser -> !parser.remapRoot().isSet(),
            bool(ContainerOptionsParser::setRemapRoot)),
    ENTRYPOINT("PYXIS_CONTAINER_ENTRYPOINT", parser -> !parser.entrypoint().isSet(),
            bool(ContainerOptionsParser::setEntrypoint)),
    ENTRYPOINT_LOG("PYXIS_CONTAINER_ENTRYPOINT_LOG", parser -> !parser.entrypointLog().isSet(),
            bool(ContainerOptionsParser::setEntrypointLog)),
    WRITABLE("PYXIS_CONTAINER_WRITABLE", parser -> !parser.writable().isSet(),
            bool(ContainerOptionsParser::setWritable)),
    READONLY("PYXIS_CONTAINER_READONLY", parser -> !parser.writable().isSet(),
            bool((parser, readonly) -> parser.setWritable(!readonly))),
    ENV("PYXIS_CONTAINER_ENV", parser -> !parser.hasEnvironmentNames(), callback(ContainerOption.ENV)),
    UNSHARE("PYXIS_CONTAINER_UNSHARE", parser -> !parser.hasUnshare(), callback(ContainerOption.UNSHARE));

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
