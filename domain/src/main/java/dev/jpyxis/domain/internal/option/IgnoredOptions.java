package dev.jpyxis.domain.internal.option;

import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.option.TriState;

import dev.jpyxis.domain.message.Diagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * The warnings pyxis prints when container options are given but neither an image nor a name is, so the
 * step runs uncontainerised. {@code --container-env} and {@code --container-unshare} are not warned about.
 */
public final class IgnoredOptions {

    private IgnoredOptions() {
    }

    public static List<Diagnostic> warnings(ContainerOptions options) {
        List<Diagnostic> warnings = new ArrayList<>();
        if (options.isEnabled()) {
            return warnings;
        }
        if (!options.mounts().isEmpty()) {
            warnings.add(ignoring(ContainerOption.MOUNTS.flag()));
        }
        options.workdir().ifPresent(unused -> warnings.add(ignoring(ContainerOption.WORKDIR.flag())));
        options.save().ifPresent(unused -> warnings.add(ignoring(ContainerOption.SAVE.flag())));
        if (options.mountHome().isSet()) {
            warnings.add(ignoring("--[no-]container-mount-home"));
        }
        if (options.remapRoot().isSet()) {
            warnings.add(ignoring("--[no-]container-remap-root"));
        }
        if (options.entrypoint().isSet()) {
            warnings.add(ignoring("--[no-]container-entrypoint"));
        }
        if (options.entrypointLog().isSet()) {
            warnings.add(ignoring(ContainerOption.ENTRYPOINT_LOG.flag()));
        }
        if (options.writable() == TriState.FALSE) {
            warnings.add(ignoring(ContainerOption.READONLY.flag()));
        } else if (options.writable() == TriState.TRUE) {
            warnings.add(ignoring(ContainerOption.WRITABLE.flag()));
        }
        return warnings;
    }

    private static Diagnostic ignoring(String option) {
        return Diagnostic.error("pyxis: ignoring " + option
                + " because neither --container-image nor --container-name is set");
    }
}
