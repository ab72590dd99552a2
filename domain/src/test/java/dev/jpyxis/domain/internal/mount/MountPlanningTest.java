package dev.jpyxis.domain.internal.mount;

import dev.jpyxis.domain.port.out.StartConfiguration;
import dev.jpyxis.domain.port.out.FstabEntry;
import dev.jpyxis.domain.port.out.PathProbe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.message.Diagnostic;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.internal.option.ContainerOptionsParser;
import dev.jpyxis.domain.option.ContainerOption;
import dev.jpyxis.domain.internal.option.MountEntry;
import dev.jpyxis.domain.option.OptionUse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("mounts on the node")
class MountPlanningTest {

    private static List<MountEntry> mounts(String value) {
        return ContainerOptionsParser.parse(List.of(OptionUse.of(ContainerOption.MOUNTS, value))).mounts();
    }

    @Test
    @DisplayName("fstab lines: source target options, with space, tab, newline and backslash escaped in paths")
    void fstabEscaping() {
        assertEquals("/my\\040data /in\\011side x-create=auto,rbind,ro",
                new FstabEntry("/my data", "/in\tside", "x-create=auto,rbind,ro").line());
        assertEquals("/a\\012b /c\\134d opts", new FstabEntry("/a\nb", "/c\\d", "opts").line());
        assertEquals("tmpfs /t x-create=dir", FstabEntry.of(mounts("tmpfs:/t").get(0)).line());
    }

    @Test
    @DisplayName("a missing absolute source fails the start with its name; others are not checked")
    void missingSource() {
        List<Diagnostic> diagnostics = new ArrayList<>();
        PyxisException error = assertThrows(PyxisException.class, () -> MountPlanning.fstabEntries(
                mounts("./rel:/r,tmpfs:/t,umount:/u,/gone:/g"),
                path -> path.equals("/gone") ? PathProbe.missing() : PathProbe.exists(), diagnostics));
        assertEquals(List.of("pyxis: --container-mounts: source path does not exist: /gone"), error.lines());
    }

    @Test
    @DisplayName("a source that cannot be looked at is only reported; the runtime decides")
    void unreadableSource() {
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<FstabEntry> entries = MountPlanning.fstabEntries(mounts("/secret:/s,/ok:/o"),
                Map.of("/secret", PathProbe.unreadable("Permission denied"), "/ok", PathProbe.exists())::get,
                diagnostics);
        assertEquals(2, entries.size());
        assertEquals(List.of(Diagnostic.info(
                "pyxis: --container-mounts: cannot stat source path /secret: Permission denied")), diagnostics);
    }

    @Test
    @DisplayName("relative sources are left to the runtime (resolved against the task's directory)")
    void relativeSourcesUnchecked() {
        List<FstabEntry> entries = MountPlanning.fstabEntries(mounts("./data:/data,../up:./up"),
                path -> {
                    throw new AssertionError("no probe expected for " + path);
                }, new ArrayList<>());
        assertEquals(List.of("./data /data x-create=auto,rbind", "../up ./up x-create=auto,rbind"),
                entries.stream().map(FstabEntry::line).toList());
    }

    @Test
    @DisplayName("the batch script is bind-mounted read-only at its own path, once")
    void batchScript() {
        MountEntry script = MountPlanning.batchScriptMount("/var/spool/slurmd/job00012/slurm_script");
        assertEquals("x-create=auto,rbind,x-create=file,bind,ro,nosuid,nodev,private", script.flags());
        List<MountEntry> once = MountPlanning.withMount(MountPlanning.withMount(mounts("/a"), script), script);
        assertEquals(2, once.size());
    }

    @Test
    @DisplayName("home mount: at $HOME, or at /root when root is remapped; only when asked and known")
    void homeMount() {
        assertEquals(Optional.of(new StartConfiguration.HomeMount("/home/u", "/home/u")),
                MountPlanning.homeMount(true, false, Optional.of("/home/u")));
        assertEquals("/root", MountPlanning.homeMount(true, true, Optional.of("/home/u")).orElseThrow().target());
        assertTrue(MountPlanning.homeMount(false, false, Optional.of("/home/u")).isEmpty());
        assertTrue(MountPlanning.homeMount(true, false, Optional.empty()).isEmpty());
        assertTrue(MountPlanning.homeMount(true, false, Optional.of("")).isEmpty());
        assertEquals("/home/u /root x-create=dir,rbind,rw,nosuid",
                MountPlanning.homeMount(true, true, Optional.of("/home/u")).orElseThrow().entry().line());
    }

    @Test
    @DisplayName("path probes")
    void probes() {
        assertEquals(new PathProbe.Exists(), PathProbe.exists());
        assertEquals("x", ((PathProbe.Unreadable) PathProbe.unreadable("x")).reason());
    }
}
