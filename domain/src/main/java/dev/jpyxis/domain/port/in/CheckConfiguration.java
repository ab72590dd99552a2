package dev.jpyxis.domain.port.in;

import java.util.List;

/**
 * slurmd's start: a plugstack line the plugin cannot read stops slurmd there, where the admin looks, rather than
 * failing every step and job epilog later (pyxis parses its configuration in slurmd's init too).
 */
public interface CheckConfiguration {

    /** @param pluginArguments the {@code key=value} arguments after the plugin's path on the plugstack line */
    HookOutcome check(List<String> pluginArguments);
}
