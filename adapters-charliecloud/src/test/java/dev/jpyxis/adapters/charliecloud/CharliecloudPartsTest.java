package dev.jpyxis.adapters.charliecloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.port.out.FstabEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CharliecloudPartsTest {

    @TempDir
    Path dir;

    @Test
    void enrootReferencesBecomeChImageReferences() {
        assertEquals("ubuntu:24.04", ImageReferences.forChImage("docker://ubuntu:24.04"));
        assertEquals("nvcr.io/nvidia/pytorch:24.01", ImageReferences.forChImage("docker://nvcr.io#nvidia/pytorch:24.01"));
        assertEquals("127.0.0.1:5000/jpyxis/busybox:1",
                ImageReferences.forChImage("docker://user@127.0.0.1:5000#jpyxis/busybox:1"));
        assertEquals("x@sha256:abc", ImageReferences.forChImage("docker://x@sha256:abc"));
        assertThrows(PyxisException.class, () -> ImageReferences.forChImage("dockerd://local"));
        assertThrows(PyxisException.class, () -> ImageReferences.forChImage("docker://"));
    }

    @Test
    void imageMetadataPrefersCharliecloudsOwnFiles() throws Exception {
        assertEquals(new ImageMetadata(Optional.empty(), "/"), ImageMetadata.of(dir));
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/environment"), "A=1\n");
        assertEquals(Optional.of(dir.resolve("etc/environment")), ImageMetadata.of(dir).environmentFile());
        Files.createDirectories(dir.resolve("ch"));
        Files.writeString(dir.resolve("ch/environment"), "A=2\n");
        Files.writeString(dir.resolve("ch/metadata.json"), "{\"arch\": \"amd64\", \"cwd\": \"/work \\\"x\\\"\"}");
        assertEquals(new ImageMetadata(Optional.of(dir.resolve("ch/environment")), "/work \"x\""),
                ImageMetadata.of(dir));
    }

    @Test
    void bindTargetsAreCreatedInTheImage() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path file = Files.writeString(dir.resolve("data/file"), "x");
        BindTargets.prepare(root, new FstabEntry(data.toString(), "/mnt/data", "x-create=auto,rbind"), dir);
        BindTargets.prepare(root, new FstabEntry(file.toString(), "/etc/injected", "x-create=auto,rbind"), dir);
        BindTargets.prepare(root, new FstabEntry("./data", "relative/target", "x-create=auto,rbind"), dir);
        assertTrue(Files.isDirectory(root.resolve("mnt/data")));
        assertTrue(Files.isRegularFile(root.resolve("etc/injected")));
        assertTrue(Files.isDirectory(root.resolve("relative/target")));
        BindTargets.prepare(root, new FstabEntry(data.toString(), "/../../escape", "x-create=auto,rbind"), dir);
        assertTrue(Files.isDirectory(root.resolve("escape")), "a target is always inside the container");
    }

    @Test
    void runningContainersAreFoundThroughMountinfo() throws Exception {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Path self = Files.createDirectories(proc.resolve("self/ns"));
        Files.createSymbolicLink(self.resolve("mnt"), Path.of("mnt:[1]"));
        Files.writeString(proc.resolve("self/mountinfo"), String.join("\n",
                "22 1 8:1 / / rw - ext4 /dev/vda rw", "30 22 0:42 / /var/tmp rw - tmpfs tmpfs rw") + "\n");
        Path container = Files.createDirectories(proc.resolve("4242/ns"));
        Files.createSymbolicLink(container.resolve("mnt"), Path.of("mnt:[2]"));
        Files.writeString(proc.resolve("4242/mountinfo"),
                "99 98 0:42 /u.jpyxis/pyxis_1.0 / ro - tmpfs tmpfs rw\n");
        Path host = Files.createDirectories(proc.resolve("17/ns"));
        Files.createSymbolicLink(host.resolve("mnt"), Path.of("mnt:[1]"));
        Files.writeString(proc.resolve("17/mountinfo"), "22 1 8:1 / / rw - ext4 /dev/vda rw\n");
        assertEquals(Map.of(Path.of("/var/tmp/u.jpyxis/pyxis_1.0"), 4242L),
                new RunningContainers(proc).firstProcessByRoot());
    }

    @Test
    void toolsAreFoundInTheDaemonPath() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path chRun = Files.writeString(bin.resolve("ch-run"), "#!/bin/sh\n");
        chRun.toFile().setExecutable(true);
        assertEquals(chRun.toString(), CharliecloudTools.locate("relative:" + bin).chRun());
        assertEquals("/usr/bin/ch-image", CharliecloudTools.find(dir.toString(), "ch-image"));
    }
}
