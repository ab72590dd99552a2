package dev.jpyxis.domain.internal.option;

import static dev.jpyxis.domain.internal.option.Args.errorOf;
import static dev.jpyxis.domain.internal.option.Args.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("--container-mounts")
class MountsOptionTest {

    private static MountEntry single(String value) {
        List<MountEntry> mounts = parse("--container-mounts=" + value).mounts();
        assertEquals(1, mounts.size(), mounts.toString());
        return mounts.get(0);
    }

    @Test
    @DisplayName("an empty value is refused: argument required")
    void emptyValue() {
        assertEquals(List.of("pyxis: --container-mounts: argument required"), errorOf("--container-mounts="));
    }

    @Test
    @DisplayName("SRC:DST binds with the default flags x-create=auto,rbind")
    void sourceAndTarget() {
        MountEntry mount = single("/data:/mnt/data");
        assertEquals("/data", mount.source());
        assertEquals("/mnt/data", mount.target());
        assertEquals("x-create=auto,rbind", mount.flags());
    }

    @Test
    @DisplayName("short form without ':' mounts the source at the same path")
    void shortForm() {
        MountEntry mount = single("/data");
        assertEquals("/data", mount.target());
        assertEquals("x-create=auto,rbind", mount.flags());
    }

    @Test
    @DisplayName("user flags follow the defaults, '+' becomes ','; the user cannot remove rbind")
    void userFlags() {
        assertEquals("x-create=auto,rbind,ro", single("/a:/b:ro").flags());
        assertEquals("x-create=auto,rbind,ro,rprivate", single("/a:/b:ro+rprivate").flags());
    }

    @Test
    @DisplayName("the flags are everything after the second ':' and may contain ':'")
    void flagsMayContainColons() {
        assertEquals("x-create=auto,rbind,a:b", single("/a:/b:a:b").flags());
    }

    @Test
    @DisplayName("SRC:DST: with an empty remainder means no flags")
    void emptyFlags() {
        assertEquals("x-create=auto,rbind", single("/a:/b:").flags());
    }

    @ParameterizedTest(name = "source {0} is a path")
    @ValueSource(strings = {"/abs", "./rel", "../up", ".hidden"})
    void pathSources(String source) {
        MountEntry mount = single(source + ":/dst");
        assertEquals(MountSource.PATH, mount.kind());
        assertTrue(mount.sourceIsPath());
    }

    @Test
    @DisplayName("tmpfs source gets x-create=dir, umount source gets x-detach")
    void specialSources() {
        MountEntry tmpfs = single("tmpfs:/scratch:size=1G");
        assertEquals(MountSource.TMPFS, tmpfs.kind());
        assertEquals("x-create=dir,size=1G", tmpfs.flags());
        MountEntry umount = single("umount:/tmp");
        assertEquals(MountSource.UMOUNT, umount.kind());
        assertEquals("x-detach", umount.flags());
    }

    @ParameterizedTest(name = "entry ''{0}'' is an invalid format")
    @CsvSource(delimiter = '|', value = {":/b|:/b", "/tmp:|/tmp:", ":|:", "/tmp::ro|/tmp::ro"})
    void invalidFormat(String value, String reportedEntry) {
        String entry = reportedEntry == null ? "" : reportedEntry;
        assertEquals(List.of("pyxis: --container-mounts: invalid format: " + entry),
                errorOf("--container-mounts=" + value));
    }

    @Test
    @DisplayName("an empty entry from a doubled or trailing comma is an invalid format")
    void emptyEntries() {
        assertEquals(List.of("pyxis: --container-mounts: invalid format: "), errorOf("--container-mounts=/a:/b,"));
        assertEquals(List.of("pyxis: --container-mounts: invalid format: "),
                errorOf("--container-mounts=/a:/b,,/c:/d"));
    }

    @Test
    @DisplayName("a source that is no path, tmpfs or umount is refused, then the entry is named")
    void badSource() {
        assertEquals(List.of("pyxis: mount source must be a relative path, an absolute path, \"tmpfs\" or \"umount\"",
                "pyxis: could not add mount entry: data:/data"), errorOf("--container-mounts=data:/data"));
    }

    @Test
    @DisplayName("short forms tmpfs and umount are refused by the target rule")
    void shortFormSpecialSources() {
        assertEquals(List.of("pyxis: mount target must be a relative path or an absolute path",
                "pyxis: could not add mount entry: tmpfs:tmpfs"), errorOf("--container-mounts=tmpfs"));
        assertEquals(List.of("pyxis: mount target must be a relative path or an absolute path",
                "pyxis: could not add mount entry: umount:umount"), errorOf("--container-mounts=umount"));
    }

    @Test
    @DisplayName("a target that is no path is refused (so /tmp:x-detach is not misread)")
    void badTarget() {
        assertEquals(List.of("pyxis: mount target must be a relative path or an absolute path",
                "pyxis: could not add mount entry: /tmp:x-detach"), errorOf("--container-mounts=/tmp:x-detach"));
    }

    @Test
    @DisplayName("identical entries are dropped; entries differing only in flags are both kept")
    void deduplication() {
        List<MountEntry> mounts = parse("--container-mounts=/a:/b,/a:/b,/a:/b:ro",
                "--container-mounts=/a:/b:ro").mounts();
        assertEquals(List.of("x-create=auto,rbind", "x-create=auto,rbind,ro"),
                mounts.stream().map(MountEntry::flags).toList());
    }

    @Test
    @DisplayName("repeated options accumulate in order")
    void accumulate() {
        List<MountEntry> mounts = parse("--container-mounts=/a:/a", "--container-mounts=/c:/c,/b:/b").mounts();
        assertEquals(List.of("/a", "/c", "/b"), mounts.stream().map(MountEntry::source).toList());
    }

    @Test
    @DisplayName("no escaping: a comma always separates entries")
    void commaAlwaysSeparates() {
        assertEquals(2, parse("--container-mounts=/a:/b:ro,/c").mounts().size());
    }

    @Test
    @DisplayName("a normalized entry reproduces itself")
    void argumentRoundTrip() {
        assertEquals("/a:/b:ro+nosuid", single("/a:/b:ro+nosuid").argument());
        assertEquals("/a:/a", single("/a").argument());
    }
}
