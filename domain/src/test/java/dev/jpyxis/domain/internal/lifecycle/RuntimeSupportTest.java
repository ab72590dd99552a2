package dev.jpyxis.domain.internal.lifecycle;

import static dev.jpyxis.domain.internal.lifecycle.Steps.options;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.port.out.RuntimeFeature;
import dev.jpyxis.domain.port.out.RuntimeTraits;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("options a runtime cannot honour are refused, naming it")
class RuntimeSupportTest {

    private static final RuntimeTraits BARE = new RuntimeTraits("charliecloud", Set.of(),
            EnumSet.noneOf(RuntimeFeature.class));
    private static final RuntimeTraits FULL = new RuntimeTraits("enroot", Set.of(), EnumSet.allOf(RuntimeFeature.class));

    @Test
    @DisplayName("a runtime with every feature refuses nothing")
    void fullRuntime() {
        assertEquals(List.of(), RuntimeSupport.refusals(options("--container-image=dockerd://x",
                "--container-entrypoint", "--container-entrypoint-log", "--container-unshare=net,ipc,uts",
                "--container-mounts=tmpfs:/t,/a:/b:ro"), PluginConfig.parse("use_squashfuse=1 use_enroot_load=1"),
                FULL));
    }

    @Test
    @DisplayName("every missing feature gets its own line")
    void everyRefusal() {
        assertEquals(List.of(
                "pyxis: --container-entrypoint is not supported by the charliecloud runtime",
                "pyxis: --container-entrypoint-log is not supported by the charliecloud runtime",
                "pyxis: --container-unshare=uts is not supported by the charliecloud runtime",
                "pyxis: --container-mounts: tmpfs mounts are not supported by the charliecloud runtime",
                "pyxis: --container-mounts: mount flags (ro+nosuid) are not supported by the charliecloud runtime",
                "pyxis: use_squashfuse is not supported by the charliecloud runtime",
                "pyxis: use_enroot_load is not supported by the charliecloud runtime",
                "pyxis: --container-image: dockerd:// images are not supported by the charliecloud runtime"),
                RuntimeSupport.refusals(options("--container-image=dockerd://x", "--container-entrypoint",
                        "--container-entrypoint-log", "--container-unshare=uts",
                        "--container-mounts=tmpfs:/t,/a:/b:ro+nosuid,/plain:/p"),
                        PluginConfig.parse("use_squashfuse=1 use_enroot_load=1"), BARE));
    }

    @Test
    @DisplayName("the plugstack entrypoint default counts, unless the user turned it off")
    void entrypointDefault() {
        assertEquals(List.of("pyxis: execute_entrypoint=true is not supported by the charliecloud runtime "
                + "(use --no-container-entrypoint)"), RuntimeSupport.refusals(options("--container-image=u"),
                PluginConfig.parse("execute_entrypoint=1"), BARE));
        assertEquals(List.of(), RuntimeSupport.refusals(options("--container-image=u", "--no-container-entrypoint"),
                PluginConfig.parse("execute_entrypoint=1"), BARE));
    }

    @Test
    @DisplayName("a squashfs file started directly can be written to only where the runtime overlays it")
    void writableDirectStart() {
        RuntimeTraits readOnlyStart = new RuntimeTraits("charliecloud", Set.of(),
                EnumSet.of(RuntimeFeature.SQUASHFS_START));
        PluginConfig squashfuse = PluginConfig.parse("use_squashfuse=1");
        assertEquals(List.of("pyxis: --container-writable with use_squashfuse is not supported by the charliecloud "
                + "runtime"), RuntimeSupport.refusals(options("--container-image=./x.sqsh", "--container-writable"),
                squashfuse, readOnlyStart));
        assertEquals(List.of("pyxis: --container-writable with use_squashfuse is not supported by the charliecloud "
                + "runtime"), RuntimeSupport.refusals(options("--container-image=ubuntu", "--container-writable"),
                PluginConfig.parse("use_squashfuse=1 importer=/usr/bin/imp"), readOnlyStart));
        assertEquals(List.of(), RuntimeSupport.refusals(options("--container-image=ubuntu", "--container-writable"),
                squashfuse, readOnlyStart), "a registry image is unpacked");
        assertEquals(List.of(), RuntimeSupport.refusals(options("--container-image=./x.sqsh", "--container-writable",
                "--container-name=n"), squashfuse, readOnlyStart), "a named container is unpacked");
        assertEquals(List.of(), RuntimeSupport.refusals(options("--container-image=./x.sqsh", "--container-writable",
                "--container-save=/o.sqsh"), squashfuse, readOnlyStart), "a saved container is unpacked");
        assertEquals(List.of(), RuntimeSupport.refusals(options("--container-image=./x.sqsh"), squashfuse,
                readOnlyStart));
        assertEquals(List.of(), RuntimeSupport.refusals(options("--container-image=./x.sqsh", "--container-writable"),
                squashfuse, FULL));
    }
}
