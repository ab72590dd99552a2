package dev.jpyxis.adapters.charliecloud;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.message.PyxisException;
import dev.jpyxis.domain.plan.ContainerMount;
import dev.jpyxis.domain.plan.MountFlag;
import dev.jpyxis.domain.port.out.CommandFailedException;
import dev.jpyxis.domain.port.out.CommandOutcome;
import dev.jpyxis.domain.port.out.FstabEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
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
        assertEquals(new ImageMetadata(Optional.empty(), "/", List.of()), ImageMetadata.of(dir));
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/environment"), "A=1\n");
        assertEquals(Optional.of(dir.resolve("etc/environment")), ImageMetadata.of(dir).environmentFile());
        Files.createDirectories(dir.resolve("ch"));
        Files.writeString(dir.resolve("ch/environment"), "A=2\n");
        Files.writeString(dir.resolve("ch/metadata.json"), "{\"arch\": \"amd64\", \"cwd\": \"/work \\\"x\\\"\"}");
        assertEquals(new ImageMetadata(Optional.of(dir.resolve("ch/environment")), "/work \"x\"", List.of()),
                ImageMetadata.of(dir));
    }

    @Test
    @DisplayName("the entrypoint: the registry's configuration as ch-image keeps it, else enroot's rc script")
    void imageEntrypoint() throws Exception {
        Files.createDirectories(dir.resolve("etc"));
        Files.writeString(dir.resolve("etc/rc"), "# a BSD-style rc, not enroot's\n");
        assertEquals(List.of(), ImageMetadata.of(dir).entrypoint());
        Files.writeString(dir.resolve("etc/rc"), "# enroot-provenance: docker://ubuntu\ncd /\nexec \"$@\"\n");
        assertEquals(List.of("/bin/sh", "/etc/rc"), ImageMetadata.of(dir).entrypoint());
        Files.createDirectories(dir.resolve("ch"));
        Files.writeString(dir.resolve("ch/config.pulled.json"), """
                {"architecture": "amd64",
                 "config": {"Env": ["PATH=/bin"], "Entrypoint": ["/usr/bin/tini", "--", "/run \\"it\\"\\u00e9"],
                            "Cmd": ["bash"]},
                 "container_config": {"Entrypoint": ["/bin/sh", "-c", "#(nop) build"]},
                 "history": [{"created": "2024-01-01", "empty_layer": true}], "rootfs": {"diff_ids": []}}
                """);
        assertEquals(List.of("/usr/bin/tini", "--", "/run \"it\"\u00e9"), ImageMetadata.of(dir).entrypoint(),
                "the image's own configuration, not its build container's");
        Files.writeString(dir.resolve("ch/config.pulled.json"), "{\"config\": {\"Entrypoint\": null}}");
        assertEquals(List.of(), ImageMetadata.of(dir).entrypoint(), "a configuration without one has none");
        Files.writeString(dir.resolve("ch/config.pulled.json"), "{\"config\": ");
        assertEquals(List.of("/bin/sh", "/etc/rc"), ImageMetadata.of(dir).entrypoint(), "unreadable: as without");
    }

    @Test
    @DisplayName("a pull from a registry that speaks plain HTTP says why it failed")
    void plainHttpRegistry() {
        List<String> output = List.of("error: ch-image: requests.exceptions.SSLError: HTTPSConnectionPool(host='reg',"
                + " port=5000): [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:992)");
        CommandFailedException failed = new CommandFailedException(new CommandOutcome.Exited(4242, 1), output);
        CommandFailedException hinted = CharliecloudRuntime.withPlainHttpHint(failed);
        assertEquals(List.of(output.get(0), CharliecloudRuntime.PLAIN_HTTP_HINT), hinted.log());
        assertEquals(failed.outcome(), hinted.outcome());
        CommandFailedException other = new CommandFailedException(new CommandOutcome.Exited(4242, 1),
                List.of("error: ch-image: not found: reg:5000/x:1"));
        assertEquals(other, CharliecloudRuntime.withPlainHttpHint(other), "other failures are left as they are");
    }

    @Test
    @DisplayName("ch-image logs in as enroot does: for an image naming a user, with that user's entry in the enroot"
            + " credentials file; unless the job set ch-image's variables")
    void registryCredentials() throws Exception {
        Path config = Files.createDirectories(dir.resolve("home/.config/enroot"));
        Files.writeString(config.resolve(".credentials"), """
                machine nvcr.io login $oauthtoken password nvapi-secret
                machine 127.0.0.1 login bob password not-alices
                machine 127.0.0.1
                  login alice password s3cret
                machine registry-1.docker.io login carol password hub
                """);
        Environment home = Environment.of("HOME", dir.resolve("home").toString(), "PATH", "/bin");
        Environment local = RegistryCredentials.forPull(home, "docker://alice@127.0.0.1:5000#jpyxis/busybox:1");
        assertEquals(Optional.of("yes"), local.get("CH_IMAGE_AUTH"));
        assertEquals(Optional.of("alice"), local.get("CH_IMAGE_USERNAME"));
        assertEquals(Optional.of("s3cret"), local.get("CH_IMAGE_PASSWORD"));
        assertEquals(Optional.of("nvapi-secret"), RegistryCredentials.forPull(home,
                "docker://$oauthtoken@nvcr.io#nvidia/pytorch:24.01").get("CH_IMAGE_PASSWORD"));
        assertEquals(Optional.of("hub"), RegistryCredentials.forPull(home, "docker://carol@ubuntu:24.04")
                .get("CH_IMAGE_PASSWORD"), "Docker Hub is registry-1.docker.io, as enroot names it");
        assertEquals(home, RegistryCredentials.forPull(home, "docker://127.0.0.1:5000#jpyxis/busybox:1"),
                "no user in the image: anonymous, as with enroot");
        assertEquals(home, RegistryCredentials.forPull(home, "docker://dave@127.0.0.1:5000#jpyxis/busybox:1"),
                "no entry for that user: anonymous");
        assertEquals(home, RegistryCredentials.forPull(home, "docker://127.0.0.1:5000#x@sha256:abc"));
        Environment chosen = home.with("CH_IMAGE_AUTH", "no");
        assertEquals(chosen, RegistryCredentials.forPull(chosen, "docker://alice@127.0.0.1:5000#jpyxis/busybox:1"));
        Environment elsewhere = home.with("ENROOT_CONFIG_PATH", dir.resolve("nowhere").toString());
        assertEquals(elsewhere, RegistryCredentials.forPull(elsewhere, "docker://alice@127.0.0.1:5000#jpyxis/b:1"),
                "ENROOT_CONFIG_PATH names the directory, as for enroot");
        assertEquals("RegistryCredentials[alice, password hidden]", new RegistryCredentials("alice", "s3cret")
                .toString());
    }

    @Test
    void bindTargetsAreCreatedInTheImage() throws Exception {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path data = Files.createDirectories(dir.resolve("data"));
        Path file = Files.writeString(dir.resolve("data/file"), "x");
        ChRunMounts mounts = ChRunMounts.of(List.of(
                new FstabEntry(data.toString(), "/mnt/data", "x-create=auto,rbind"),
                new FstabEntry(file.toString(), "/etc/injected", "x-create=auto,rbind"),
                new FstabEntry("./data", "relative/target", "x-create=auto,rbind"),
                new FstabEntry(data.toString(), "/../../escape", "x-create=auto,rbind")), root, dir);
        assertTrue(Files.isDirectory(root.resolve("mnt/data")));
        assertTrue(Files.isRegularFile(root.resolve("etc/injected")));
        assertTrue(Files.isDirectory(root.resolve("relative/target")));
        assertTrue(Files.isDirectory(root.resolve("escape")), "a target is always inside the container");
        assertEquals(List.of("--bind=" + data + ":/mnt/data", "--bind=" + file + ":/etc/injected",
                "--bind=./data:/relative/target", "--bind=" + data + ":/escape"), mounts.binds());
        assertEquals(List.of(), mounts.inside(), "plain bind mounts are ch-run's alone");
    }

    @Nested
    @DisplayName("what ch-run cannot mount, the shim mounts in the container")
    class MountsInside {

        private Path root;
        private Path data;

        @BeforeEach
        void image() throws Exception {
            root = Files.createDirectories(dir.resolve("root"));
            data = Files.createDirectories(dir.resolve("data"));
        }

        private ChRunMounts of(FstabEntry... entries) {
            return ChRunMounts.of(List.of(entries), root, dir);
        }

        @Test
        @DisplayName("flags of a bind mount become a remount that keeps the locked flags")
        void flagsBecomeARemount() {
            ChRunMounts mounts = of(new FstabEntry(data.toString(), "/data", "x-create=auto,rbind,ro,nosuid"));
            assertEquals(List.of("--bind=" + data + ":/data"), mounts.binds());
            assertEquals(List.of(new ContainerMount.Call("", "/data", "", EnumSet.of(MountFlag.BIND,
                    MountFlag.REMOUNT, MountFlag.RDONLY, MountFlag.NOSUID), "", true,
                    "pyxis: --container-mounts: failed to mount: " + data + " at /data")), mounts.inside());
        }

        @Test
        @DisplayName("the batch script's flags: read-only, nosuid, nodev, then private propagation")
        void batchScript() throws Exception {
            Path script = Files.writeString(dir.resolve("script"), "#!/bin/sh\n");
            ChRunMounts mounts = of(new FstabEntry(script.toString(), script.toString(),
                    "x-create=auto,rbind,x-create=file,bind,ro,nosuid,nodev,private"));
            assertTrue(Files.isRegularFile(root.resolve(script.toString().substring(1))));
            assertEquals(List.of(
                    new ContainerMount.Call("", script.toString(), "", EnumSet.of(MountFlag.BIND, MountFlag.REMOUNT,
                            MountFlag.RDONLY, MountFlag.NOSUID, MountFlag.NODEV), "", true,
                            "pyxis: --container-mounts: failed to mount: " + script + " at " + script),
                    new ContainerMount.Call("", script.toString(), "", EnumSet.of(MountFlag.PRIVATE), "", false,
                            "pyxis: --container-mounts: failed to set mount propagation: " + script)),
                    mounts.inside());
        }

        @Test
        @DisplayName("rw after ro clears it, rslave is recursive, unknown words are the file system's data")
        void wordsAsEnrootMountReadsThem() {
            ChRunMounts mounts = of(new FstabEntry("tmpfs", "/scratch", "x-create=dir,ro,rw,size=1G,mode=1777,rslave"));
            assertTrue(Files.isDirectory(root.resolve("scratch")));
            assertEquals(List.of(), mounts.binds());
            assertEquals(List.of(
                    new ContainerMount.Call("tmpfs", "/scratch", "tmpfs", EnumSet.noneOf(MountFlag.class),
                            "size=1G,mode=1777", false, "pyxis: --container-mounts: failed to mount: tmpfs at /scratch"),
                    new ContainerMount.Call("", "/scratch", "", EnumSet.of(MountFlag.SLAVE, MountFlag.REC), "", false,
                            "pyxis: --container-mounts: failed to set mount propagation: /scratch")),
                    mounts.inside());
        }

        @Test
        @DisplayName("umount detaches; a tmpfs below a bind mount is made in the bind's host directory")
        void umountAndTargetsBelowBinds() {
            ChRunMounts mounts = of(new FstabEntry(data.toString(), "/data", "x-create=auto,rbind"),
                    new FstabEntry("tmpfs", "/data/fast", "x-create=dir"),
                    new FstabEntry("umount", "/dev/shm", "x-detach"));
            assertTrue(Files.isDirectory(data.resolve("fast")), "created where the container will see it");
            assertFalse(Files.exists(root.resolve("data/fast")));
            assertEquals(new ContainerMount.Detach("/dev/shm", "pyxis: --container-mounts: failed to unmount: /dev/shm"),
                    mounts.inside().get(1));
        }

        @Test
        @DisplayName("a bind mount below a tmpfs is refused: ch-run binds before anything else")
        void bindBelowTmpfsIsRefused() {
            PyxisException refused = assertThrows(PyxisException.class, () -> of(
                    new FstabEntry("tmpfs", "/scratch", "x-create=dir"),
                    new FstabEntry(data.toString(), "/scratch/data", "x-create=auto,rbind")));
            assertEquals("pyxis: --container-mounts: " + data + ":/scratch/data is below the mount at /scratch, which"
                    + " the charliecloud runtime cannot do (ch-run makes bind mounts first): list it before that"
                    + " mount", refused.getMessage());
        }
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
