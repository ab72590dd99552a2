package dev.jpyxis.dist.doctor;

import dev.jpyxis.domain.env.Environment;
import dev.jpyxis.domain.port.out.FstabEntry;
import dev.jpyxis.exec.CommandRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tiny image doctor starts when no image is given, built on the node without network: a root filesystem of a few
 * files (its {@code /etc/os-release} says {@code ID=jpyxis-doctor}) whose programs are the node's own, bound read-only
 * from {@code /usr} (and {@code /bin}, {@code /lib}, ... where they are not symbolic links into it).
 */
final class DoctorImage {

    /** What the image's {@code /etc/os-release} holds, which the started container must print. */
    static final String MARK = "ID=jpyxis-doctor";

    private static final List<String> HOST_DIRECTORIES = List.of("bin", "sbin", "lib", "lib32", "lib64", "libx32");

    private DoctorImage() {
    }

    /** The node's directories the container needs, as mounts, read-only. */
    static List<FstabEntry> mounts() {
        List<FstabEntry> mounts = new ArrayList<>();
        mounts.add(new FstabEntry("/usr", "/usr", "x-create=auto,rbind,ro,nosuid"));
        for (String name : HOST_DIRECTORIES) {
            Path host = Path.of("/", name);
            if (!Files.isSymbolicLink(host) && Files.isDirectory(host)) {
                mounts.add(new FstabEntry(host.toString(), host.toString(), "x-create=auto,rbind,ro,nosuid"));
            }
        }
        return mounts;
    }

    /**
     * Writes the root filesystem under {@code work/root} and packs it into {@code work/doctor.sqsh}.
     *
     * @param mksquashfs the program, by absolute path
     * @return the squashfs file
     * @throws IOException when a file cannot be written or mksquashfs fails (its output is the message)
     */
    static Path build(Path work, String mksquashfs, CommandRunner runner) throws IOException {
        Path root = work.resolve("root");
        for (String directory : List.of("etc", "proc", "sys", "dev", "run", "root", "home", "mnt", "usr", "var/tmp",
                "tmp", "ch")) {
            Files.createDirectories(root.resolve(directory));
        }
        for (String name : HOST_DIRECTORIES) {
            Path host = Path.of("/", name);
            if (Files.isSymbolicLink(host)) {
                Files.createSymbolicLink(root.resolve(name), Files.readSymbolicLink(host));
            } else if (Files.isDirectory(host)) {
                Files.createDirectories(root.resolve(name));
            }
        }
        write(root, "etc/os-release", "NAME=\"jpyxis doctor\"\n" + MARK + "\n");
        write(root, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        write(root, "etc/group", "root:x:0:\nnogroup:x:65534:\n");
        write(root, "etc/fstab", "");
        write(root, "etc/environment", "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin\n");
        // enroot runs /etc/rc with the command as arguments, as images it imports have it
        write(root, "etc/rc", "if [ $# -gt 0 ]; then\n    exec \"$@\"\nfi\nexec /bin/sh\n");
        // Charliecloud's view of the image
        write(root, "ch/environment", "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin\n");
        write(root, "ch/metadata.json", "{ \"arch\": \"amd64\", \"cwd\": \"/\", \"env\": {}, \"labels\": {},"
                + " \"shell\": [\"/bin/sh\", \"-c\"], \"volumes\": [] }\n");
        Environment path = Environment.of("PATH", "/usr/bin:/bin");
        runner.run(List.of("/bin/chmod", "1777", root.resolve("tmp").toString(), root.resolve("var/tmp").toString()),
                path, work);
        Path image = work.resolve("doctor.sqsh");
        CommandRunner.Result packed = runner.run(List.of(mksquashfs, root.toString(), image.toString(), "-all-root",
                "-noappend", "-quiet"), path, work);
        if (!packed.succeeded()) {
            throw new IOException(mksquashfs + " failed: " + String.join(" / ", packed.output()));
        }
        return image;
    }

    private static void write(Path root, String file, String text) throws IOException {
        Files.writeString(root.resolve(file), text, StandardCharsets.UTF_8);
    }
}
