package dev.jpyxis.domain.service;

import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.port.in.CheckConfiguration;
import dev.jpyxis.domain.port.in.HookOutcome;
import java.util.ArrayList;
import java.util.List;

/** slurmd's start: the plugstack line must be readable, with pyxis's messages when it is not. */
public final class ConfigurationChecker implements CheckConfiguration {

    @Override
    public HookOutcome check(List<String> pluginArguments) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        boolean readable = PluginArguments.read(pluginArguments, "pyxis: ", diagnostics).isPresent();
        return new HookOutcome(diagnostics, !readable);
    }
}
