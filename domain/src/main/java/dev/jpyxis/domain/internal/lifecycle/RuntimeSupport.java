package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.internal.image.ImageMode;
import dev.jpyxis.domain.internal.image.ImageReference;
import dev.jpyxis.domain.internal.option.ContainerOptions;
import dev.jpyxis.domain.internal.option.MountEntry;
import dev.jpyxis.domain.internal.option.MountSource;
import dev.jpyxis.domain.option.Namespace;
import dev.jpyxis.domain.option.TriState;
import dev.jpyxis.domain.port.out.RuntimeFeature;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Options and settings the configured runtime cannot honour are refused before anything runs, with a message naming
 * the runtime: never silently ignored.
 */
public final class RuntimeSupport {

    private static final Map<Namespace, RuntimeFeature> UNSHARE = Map.of(Namespace.NET, RuntimeFeature.UNSHARE_NET,
            Namespace.IPC, RuntimeFeature.UNSHARE_IPC, Namespace.UTS, RuntimeFeature.UNSHARE_UTS);

    private RuntimeSupport() {
    }

    /** The error lines for everything the runtime cannot do; empty when it can do it all. */
    public static List<String> refusals(ContainerOptions options, PluginConfig config, RuntimeTraits traits) {
        List<String> refusals = new ArrayList<>();
        String by = " is not supported by the " + traits.name() + " runtime";
        String byPlural = " are not supported by the " + traits.name() + " runtime";
        if (!traits.has(RuntimeFeature.ENTRYPOINT)) {
            if (options.entrypoint() == TriState.TRUE) {
                refusals.add("pyxis: --container-entrypoint" + by);
            } else if (options.entrypoint() == TriState.UNSET && config.executeEntrypoint()) {
                refusals.add("pyxis: execute_entrypoint=true" + by + " (use --no-container-entrypoint)");
            }
            if (options.entrypointLog() == TriState.TRUE) {
                refusals.add("pyxis: --container-entrypoint-log" + by);
            }
        }
        for (Namespace namespace : options.unshare()) {
            if (!traits.has(UNSHARE.get(namespace))) {
                refusals.add("pyxis: --container-unshare=" + namespace.keyword() + by);
            }
        }
        if (!traits.has(RuntimeFeature.MOUNT_OPTIONS)) {
            for (MountEntry mount : options.mounts()) {
                if (mount.kind() != MountSource.PATH) {
                    refusals.add("pyxis: --container-mounts: " + mount.source() + " mounts" + byPlural);
                } else if (!mount.userFlags().isEmpty()) {
                    refusals.add("pyxis: --container-mounts: mount flags (" + mount.userFlags().replace(',', '+')
                            + ")" + byPlural);
                }
            }
        }
        if (config.useSquashfuse() && !traits.has(RuntimeFeature.SQUASHFS_START)) {
            refusals.add("pyxis: use_squashfuse" + by);
        } else if (startsSquashfsDirectly(options, config) && options.writable() == TriState.TRUE
                && !traits.has(RuntimeFeature.WRITABLE_SQUASHFS_START)) {
            refusals.add("pyxis: --container-writable with use_squashfuse" + by);
        }
        if (config.useEnrootLoad() && !traits.has(RuntimeFeature.LOAD)) {
            refusals.add("pyxis: use_enroot_load" + by);
        }
        if (options.image().map(ImageReference::new).map(ImageReference::fromDockerDaemon).orElse(false)
                && !traits.has(RuntimeFeature.DOCKER_DAEMON_IMAGES)) {
            refusals.add("pyxis: --container-image: dockerd:// images" + byPlural);
        }
        return refusals;
    }

    /** Whether the node will start the container straight from a squashfs file, by the node's own rule. */
    private static boolean startsSquashfsDirectly(ContainerOptions options, PluginConfig config) {
        return options.image().map(image -> ImageMode.of(new ImageReference(image), options.name().isEmpty(),
                options.save().isPresent(), config, false).directStart()).orElse(false);
    }
}
