package dev.jpyxis.domain.service;

import dev.jpyxis.domain.config.InvalidConfigurationException;
import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.message.Diagnostic;
import java.util.List;
import java.util.Optional;

/** Reads the plugstack line's arguments, reporting an unreadable one with pyxis's lines. */
final class PluginArguments {

    private PluginArguments() {
    }

    /**
     * @param hook the prefix of the closing line: {@code "pyxis: "} or {@code "pyxis: epilog: "}
     */
    static Optional<PluginConfig> read(List<String> arguments, String hook, List<Diagnostic> diagnostics) {
        try {
            return Optional.of(PluginConfig.parse(arguments));
        } catch (InvalidConfigurationException invalid) {
            invalid.lines().forEach(line -> diagnostics.add(Diagnostic.error(line)));
            diagnostics.add(Diagnostic.error(hook + "failed to parse configuration"));
            return Optional.empty();
        }
    }
}
