package dev.jpyxis.adapters.charliecloud;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.mount.MountPlanning;
import dev.jpyxis.domain.option.TriState;
import dev.jpyxis.domain.port.out.StartConfiguration;
import java.util.Optional;

/** {@code --container-mount-home} for a runtime without enroot's home hook: the domain's home mount rule. */
final class HomeMounts {

    private HomeMounts() {
    }

    static Optional<MountPlanning.HomeMount> of(StartConfiguration configuration, Environment environment) {
        return MountPlanning.homeMount(configuration.mountHome() == TriState.TRUE,
                configuration.remapRoot() == TriState.TRUE, environment.get("HOME"));
    }
}
