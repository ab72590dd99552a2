package dev.jpyxis.dist.doctor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jpyxis.dist.doctor.PlugstackFiles.PluginLine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("plugstack.conf as Slurm reads it")
class PlugstackFilesTest {

    @TempDir
    Path directory;

    @Test
    @DisplayName("slurm.conf's PlugStackConfig names it, whatever the case of the key; else it lies beside slurm.conf")
    void whichFile() throws IOException {
        Path conf = directory.resolve("slurm.conf");
        Files.writeString(conf, "ClusterName=x\n  plugstackconfig = /etc/x/plugstack.conf # here\n");
        assertEquals(Path.of("/etc/x/plugstack.conf"), PlugstackFiles.of(conf));
        Files.writeString(conf, "PlugStackConfig=ps.conf\n");
        assertEquals(directory.resolve("ps.conf"), PlugstackFiles.of(conf));
        Files.writeString(conf, "ClusterName=x\n#PlugStackConfig=/nowhere\n");
        assertEquals(directory.resolve("plugstack.conf"), PlugstackFiles.of(conf));
        assertEquals(directory.resolve("plugstack.conf"), PlugstackFiles.of(directory.resolve("missing.conf")));
        assertEquals(Optional.empty(), PlugstackFiles.setting("PlugStackConfigX=1", "PlugStackConfig"));
    }

    @Test
    @DisplayName("plugin lines of the file and, in order, of the files its include patterns match; comments skipped")
    void includes() throws IOException {
        Path conf = directory.resolve("plugstack.conf");
        Files.createDirectories(directory.resolve("plugstack.conf.d"));
        Files.writeString(conf, "# comment\noptional /a/first.so x=1 # why\ninclude " + directory
                + "/plugstack.conf.d/*.conf\n\n");
        Files.writeString(directory.resolve("plugstack.conf.d/b.conf"), "required /usr/lib/jpyxis/lib/spank_pyxis.so"
                + " container_scope=job\n");
        Files.writeString(directory.resolve("plugstack.conf.d/a.conf"), "required /z/a.so\n");
        Files.writeString(directory.resolve("plugstack.conf.d/c.conf.disabled"), "required /z/c.so\n");
        List<PluginLine> lines = PlugstackFiles.pluginLines(conf);
        assertEquals(List.of("optional /a/first.so x=1", "required /z/a.so",
                "required /usr/lib/jpyxis/lib/spank_pyxis.so container_scope=job"),
                lines.stream().map(PluginLine::text).toList());
        assertEquals(directory.resolve("plugstack.conf.d/b.conf") + ":1", lines.get(2).where());
        assertEquals(List.of("container_scope=job"), lines.get(2).arguments());
    }

    @Test
    @DisplayName("a relative include is read beside the including file; one that matches nothing adds nothing")
    void relativeInclude() throws IOException {
        Path conf = directory.resolve("plugstack.conf");
        Files.writeString(conf, "include other.conf\ninclude none/*.conf\n");
        Files.writeString(directory.resolve("other.conf"), "required /x/spank_pyxis.so\n");
        assertEquals(1, PlugstackFiles.pluginLines(conf).size());
    }
}
