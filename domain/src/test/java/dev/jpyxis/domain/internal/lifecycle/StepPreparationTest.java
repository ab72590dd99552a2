package dev.jpyxis.domain.internal.lifecycle;

import dev.jpyxis.domain.port.in.StepIdentity;
import static dev.jpyxis.domain.internal.lifecycle.Steps.options;
import static dev.jpyxis.domain.internal.lifecycle.Steps.prepare;
import static dev.jpyxis.domain.internal.lifecycle.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.config.PluginConfig;
import dev.jpyxis.domain.internal.image.ImageMode;
import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.Severity;
import dev.jpyxis.domain.internal.option.MountEntry;
import dev.jpyxis.domain.internal.step.StepContext;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("user_init decisions")
class StepPreparationTest {

    private final FakeNode node = new FakeNode();
    private final PluginConfig defaults = PluginConfig.defaults();

    private StepSetup ready(PluginConfig config, StepContext step, String... args) {
        return assertInstanceOf(PreparedStep.Ready.class, prepare(node, config, step, options(args))).setup();
    }

    private List<String> deferred(PluginConfig config, StepContext step, String... args) {
        PreparedStep prepared = prepare(node, config, step, options(args));
        return assertInstanceOf(PreparedStep.Deferred.class, prepared).diagnostics().stream()
                .filter(d -> d.severity() == Severity.ERROR).map(Diagnostic::text).toList();
    }

    @Nested
    @DisplayName("named containers and their flags")
    class Named {
        @Test
        @DisplayName("auto: absent and an image given -> created under the full name, kept")
        void autoAbsent() {
            StepSetup setup = ready(defaults, step(12, 0, 1), "--container-name=dev", "--container-image=ubuntu");
            assertEquals("pyxis_dev", setup.name().value());
            assertFalse(setup.name().temporary());
            assertEquals(Reuse.NONE, setup.reuse());
            assertEquals(Optional.of(ImageMode.IMPORT_CREATE), setup.mode());
            assertEquals(1, node.count("list"));
        }

        @Test
        @DisplayName("auto: exists but not running -> its root filesystem is reused, the image ignored silently")
        void autoExists() {
            node.containers.put("pyxis_dev", OptionalLong.empty());
            PreparedStep prepared = prepare(node, defaults, step(12, 1, 1),
                    options("--container-name=dev", "--container-image=other"));
            StepSetup setup = assertInstanceOf(PreparedStep.Ready.class, prepared).setup();
            assertEquals(Reuse.FILESYSTEM, setup.reuse());
            assertEquals(Optional.empty(), setup.mode());
            assertEquals(List.of(Diagnostic.info("pyxis: reusing existing container filesystem")),
                    prepared.diagnostics());
        }

        @Test
        @DisplayName("auto: running -> attach to its namespaces")
        void autoRunning() {
            node.containers.put("pyxis_dev", OptionalLong.of(4321));
            StepSetup setup = ready(defaults, step(12, 1, 1), "--container-name=dev");
            assertEquals(Reuse.NAMESPACES, setup.reuse());
            assertEquals(OptionalLong.of(4321), setup.attachPid());
        }

        @Test
        @DisplayName("attaching drops every mount with a message, the batch script's included")
        void attachDropsMounts() {
            node.containers.put("pyxis_dev", OptionalLong.of(4321));
            PreparedStep prepared = prepare(node, defaults, step(12, StepIdentity.BATCH_STEP, 1),
                    options("--container-name=dev"));
            StepSetup setup = assertInstanceOf(PreparedStep.Ready.class, prepared).setup();
            assertEquals(List.of(), setup.mounts());
            assertTrue(prepared.diagnostics().contains(Diagnostic.user(
                    "pyxis: ignoring --container-mounts when attaching to a running container")));
        }

        @Test
        @DisplayName("create: fails when the container exists at all")
        void createExisting() {
            node.containers.put("pyxis_dev", OptionalLong.empty());
            assertEquals(List.of("pyxis: error: \"create\" flag was passed to --container-name but the container "
                    + "already exists"), deferred(defaults, step(12, 1, 1), "--container-name=dev:create",
                    "--container-image=u"));
        }

        @Test
        @DisplayName("exec: fails unless the container runs")
        void execNotRunning() {
            node.containers.put("pyxis_dev", OptionalLong.empty());
            assertEquals(List.of("pyxis: error: \"exec\" flag was passed to --container-name but the container is "
                    + "not running"), deferred(defaults, step(12, 1, 1), "--container-name=dev:exec"));
            node.containers.put("pyxis_dev", OptionalLong.of(9));
            assertEquals(Reuse.NAMESPACES, ready(defaults, step(12, 1, 1), "--container-name=dev:exec").reuse());
        }

        @Test
        @DisplayName("no_exec: a running container is treated as existing, not running")
        void noExec() {
            node.containers.put("pyxis_dev", OptionalLong.of(9));
            assertEquals(Reuse.FILESYSTEM, ready(defaults, step(12, 1, 1), "--container-name=dev:no_exec").reuse());
        }

        @Test
        @DisplayName("absent without an image: error naming the full name")
        void absentWithoutImage() {
            assertEquals(List.of("pyxis: error: a container with name \"pyxis_12_dev\" does not exist, and "
                    + "--container-image is not set"), deferred(PluginConfig.parse("container_scope=job"),
                    step(12, 1, 1), "--container-name=dev"));
        }

        @Test
        @DisplayName("the first listing with the name wins")
        void firstMatchWins() {
            node.containers.put("pyxis_dev", OptionalLong.of(1));
            assertEquals(OptionalLong.of(1), ready(defaults, step(12, 1, 1), "--container-name=dev").attachPid());
        }

        @Test
        @DisplayName("a failing list fails the step (deferred) with pyxis's lines")
        void listFails() {
            node.failing.add("list");
            List<String> lines = deferred(defaults, step(12, 1, 1), "--container-name=dev");
            assertEquals("pyxis: couldn't get list of existing container filesystems", lines.get(1));
            assertEquals("pyxis: couldn't get list of containers", lines.get(lines.size() - 1));
        }

        @Test
        @DisplayName("a deferred failure says it is postponed (debug)")
        void deferredNote() {
            node.failing.add("list");
            PreparedStep prepared = prepare(node, defaults, step(12, 1, 1), options("--container-name=dev"));
            assertTrue(prepared.diagnostics().contains(Diagnostic.debug(
                    "pyxis: user_init() failed with rc=-1; postponing error for now, will report later")));
        }
    }

    @Nested
    @DisplayName("unnamed containers and image modes")
    class Modes {
        @Test
        @DisplayName("unnamed: temporary pyxis_J.S; no listing needed")
        void unnamed() {
            StepSetup setup = ready(defaults, step(12, 3, 1), "--container-image=ubuntu");
            assertEquals("pyxis_12.3", setup.name().value());
            assertTrue(setup.name().temporary());
            assertEquals(0, node.count("list"));
            assertEquals(Optional.of("/run/pyxis/1000/12.3.squashfs"), setup.importFile());
        }

        @ParameterizedTest(name = "{0} with [{1}] -> {2}")
        @CsvSource(delimiter = '|', value = {
            "./u.sqsh||SQUASHFS_CREATE",
            "/img/u.sqsh|use_squashfuse=1|SQUASHFS_DIRECT",
            "ubuntu||IMPORT_CREATE",
            "ubuntu|use_enroot_load=1|LOAD",
            "dockerd://local|use_enroot_load=1|IMPORT_CREATE",
            "ubuntu|importer=/opt/imp|IMPORTER_CREATE",
            "dockerd://local|importer=/opt/imp use_enroot_load=1|IMPORTER_CREATE",
            "ubuntu|importer=/opt/imp use_squashfuse=1|IMPORTER_DIRECT",
            "./u.sqsh|importer=/opt/imp|SQUASHFS_CREATE"})
        void modeChoice(String image, String config, ImageMode expected) {
            StepSetup setup = ready(PluginConfig.parse(config == null ? "" : config), step(12, 3, 1),
                    "--container-image=" + image);
            assertEquals(Optional.of(expected), setup.mode());
        }

        @Test
        @DisplayName("direct start only for unnamed containers without --container-save")
        void directStartConditions() {
            PluginConfig squashfuse = PluginConfig.parse("use_squashfuse=1");
            assertEquals(Optional.of(ImageMode.SQUASHFS_CREATE), ready(squashfuse, step(12, 3, 1),
                    "--container-image=/u.sqsh", "--container-name=n").mode());
            assertEquals(Optional.of(ImageMode.SQUASHFS_CREATE), ready(squashfuse, step(12, 3, 1),
                    "--container-image=/u.sqsh", "--container-save=/o.sqsh").mode());
        }

        @Test
        @DisplayName("entrypoint: the option, else the plugstack default")
        void entrypoint() {
            assertFalse(ready(defaults, step(1, 1, 1), "--container-image=u").executeEntrypoint());
            assertTrue(ready(PluginConfig.parse("execute_entrypoint=1"), step(1, 1, 1), "--container-image=u")
                    .executeEntrypoint());
            assertFalse(ready(PluginConfig.parse("execute_entrypoint=1"), step(1, 1, 1), "--container-image=u",
                    "--no-container-entrypoint").executeEntrypoint());
        }

        @Test
        @DisplayName("a squashfs path of 4096 bytes or more is refused with a clear message")
        void longSquashfsPath() {
            String path = "/" + "x".repeat(4100);
            assertEquals(List.of("pyxis: --container-image: squashfs path too long: " + path),
                    deferred(defaults, step(1, 1, 1), "--container-image=" + path));
        }

        @Test
        @DisplayName("a temporary import path of 4096 bytes or more is refused")
        void longImportPath() {
            assertEquals(List.of("pyxis: temporary squashfs path too long"), deferred(
                    PluginConfig.parse("runtime_path=/" + "r".repeat(4090)), step(1, 1, 1), "--container-image=u"));
        }
    }

    @Nested
    @DisplayName("batch step")
    class Batch {
        @Test
        @DisplayName("the script is bind-mounted read-only at its spool path")
        void scriptMount() {
            StepSetup setup = ready(defaults, step(12, StepIdentity.BATCH_STEP, 1), "--container-image=u",
                    "--container-mounts=/data");
            assertEquals(List.of("/data", "/var/spool/slurmd/job00012/slurm_script"),
                    setup.mounts().stream().map(MountEntry::source).toList());
            assertEquals("x-create=auto,rbind,x-create=file,bind,ro,nosuid,nodev,private",
                    setup.mounts().get(1).flags());
            assertEquals("pyxis_12.4294967291", setup.name().value());
        }

        @Test
        @DisplayName("without argv the batch step fails (deferred)")
        void noScript() {
            StepContext noArgv = new StepContext(1000, 100, List.of(), 12, StepIdentity.BATCH_STEP, 1, 0, 0,
                    dev.jpyxis.domain.env.Environment.empty(), "/", Optional.empty());
            assertEquals(List.of("pyxis: couldn't get sbatch script: argc == 0",
                    "pyxis: couldn't add bind mount for sbatch script"), deferred(defaults, noArgv,
                    "--container-image=u"));
        }
    }
}
