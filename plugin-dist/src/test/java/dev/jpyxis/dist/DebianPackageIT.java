package dev.jpyxis.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package the build made ({@code target/jpyxis_<version>_<arch>.deb}): its fields, its files, and what it
 * installs, unpacked into a temporary root with {@code dpkg -x}. Skipped, loudly, where dpkg-deb or the shim is
 * missing (the build then makes no package).
 */
class DebianPackageIT {

    private static final String VERSION = System.getProperty("jpyxis.version").replace('-', '~');
    private static Path deb;

    @BeforeAll
    static void findThePackage() throws Exception {
        boolean buildable = Files.isExecutable(Path.of("/usr/bin/dpkg-deb"))
                && Files.exists(Path.of("target", "jpyxis", "lib", "spank_pyxis.so"));
        if (!buildable) {
            System.err.println("!!! dpkg-deb or the shim is missing: the Debian package is NOT built or checked !!!");
        }
        Assumptions.assumeTrue(buildable, "no dpkg-deb or no shim");
        deb = Path.of("target", "jpyxis_" + VERSION + "_" + run("dpkg", "--print-architecture").strip() + ".deb")
                .toAbsolutePath();
        assertTrue(Files.isRegularFile(deb), deb + " was not built");
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }

    @Test
    void fieldsNameThePackageItsVersionAndWhatItNeeds() throws Exception {
        assertEquals("jpyxis\n", run("dpkg-deb", "-f", deb.toString(), "Package"));
        assertEquals(VERSION + "\n", run("dpkg-deb", "-f", deb.toString(), "Version"));
        String depends = run("dpkg-deb", "-f", deb.toString(), "Depends");
        assertTrue(depends.startsWith("default-jre-headless (>= 2:1.17) | java17-runtime-headless, "
                + "slurm-wlm-basic-plugins (>= "), depends);
        assertEquals("nvslurm-plugin-pyxis\n", run("dpkg-deb", "-f", deb.toString(), "Conflicts"));
    }

    @Test
    void filesAreWhereDebianPutsThemOwnedByRoot() throws Exception {
        List<String> lines = run("dpkg-deb", "-c", deb.toString()).lines().toList();
        List<String> paths = new ArrayList<>();
        for (String line : lines) {
            assertTrue(line.contains(" root/root "), line);
            paths.add(line.substring(line.indexOf(" ./") + 2));
        }
        for (String expected : List.of("/usr/lib/jpyxis/bin/jpyxis", "/usr/lib/jpyxis/lib/spank_pyxis.so",
                "/usr/lib/jpyxis/lib/engine.args", "/usr/bin/jpyxis -> ../lib/jpyxis/bin/jpyxis",
                "/etc/slurm/plugstack.conf.d/jpyxis.conf", "/etc/bash_completion.d/jpyxis-slurm",
                "/usr/share/bash-completion/completions/jpyxis", "/usr/share/man/man1/jpyxis.1.gz",
                "/usr/share/doc/jpyxis/copyright", "/usr/share/doc/jpyxis/changelog.Debian.gz",
                "/usr/share/doc/jpyxis/changelog.gz", "/usr/share/doc/jpyxis/troubleshooting.md")) {
            assertTrue(paths.contains(expected), expected + " not in " + paths);
        }
        assertTrue(paths.stream().anyMatch(path -> path.matches("/usr/lib/jpyxis/lib/jpyxis-domain-.*\\.jar")));
        assertFalse(paths.stream().anyMatch(path -> path.endsWith(".jsa") || path.endsWith(".aot")), paths.toString());
    }

    @Test
    void maintainerScriptsAndConffiles(@TempDir Path control) throws Exception {
        run("dpkg-deb", "-e", deb.toString(), control.toString());
        assertEquals(List.of("/etc/slurm/plugstack.conf.d/jpyxis.conf", "/etc/bash_completion.d/jpyxis-slurm"),
                Files.readAllLines(control.resolve("conffiles")));
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertTrue(Files.isExecutable(control.resolve(script)), script);
        }
        assertTrue(Files.readString(control.resolve("postinst")).contains("/usr/lib/jpyxis/bin/jpyxis install"));
    }

    @Test
    void unpackedItRunsAndLoadsThePluginFromUsrLib(@TempDir Path root) throws Exception {
        run("dpkg", "-x", deb.toString(), root.toString());
        assertEquals("jpyxis " + System.getProperty("jpyxis.version") + ", pyxis 0.24 compatible\n",
                run(root.resolve("usr/bin/jpyxis").toString(), "--version"));
        assertTrue(Files.readAllLines(root.resolve("etc/slurm/plugstack.conf.d/jpyxis.conf"))
                .contains("required /usr/lib/jpyxis/lib/spank_pyxis.so"));
        try (InputStream man = new GZIPInputStream(Files.newInputStream(root.resolve(
                "usr/share/man/man1/jpyxis.1.gz")))) {
            String page = new String(man.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(page.contains(".SS doctor\n"), page);
            assertTrue(page.contains("\"jpyxis " + System.getProperty("jpyxis.version") + "\""), page);
        }
    }
}
