package dev.jpyxis.dist.cli;

import dev.jpyxis.adapters.slurm.shim.ShimValues;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** jpyxis's version, from the build (the same {@code project.version} the shim's banner and the .deb carry). */
final class Version {

    private Version() {
    }

    /** E.g. {@code 0.1.0}. */
    static String jpyxis() {
        try (InputStream in = Version.class.getResourceAsStream("/dev/jpyxis/dist/version.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code jpyxis --version} prints: the words of slurmd's banner, without the Slurm release. */
    static String line() {
        return ShimValues.banner(jpyxis());
    }
}
