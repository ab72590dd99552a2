package dev.jpyxis.dist.engine;

import dev.jpyxis.adapters.slurm.shim.ShimValues;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code jpyxis install} leaves what it prepared for each JVM, and which JVM the shim starts: the same rules as
 * the shim's (adapters-slurm/src/main/c/engine.c, find_java and find_arguments), from the same generated names.
 */
public final class JvmLayout {

    private JvmLayout() {
    }

    /** {@code lib/jvm/<real path of java>.args}. */
    public static Path argumentsFile(Path lib, Path realJava) {
        return Path.of(lib.resolve(ShimValues.JVM_DIRECTORY) + realJava.toString() + ShimValues.JVM_ARGUMENTS_SUFFIX);
    }

    /** {@code lib/jvm.default}: the JVM install chose, for plugstack lines without {@code java=}. */
    public static Path defaultJvmLink(Path lib) {
        return lib.resolve(ShimValues.DEFAULT_JVM_LINK);
    }

    /** The java the shim starts: {@code java=}, else the one install chose, else the first in the usual places. */
    public static Optional<Path> javaOfTheShim(Path lib, Optional<String> configured) {
        if (configured.isPresent()) {
            return Optional.of(Path.of(configured.get()));
        }
        Path chosen = defaultJvmLink(lib);
        if (Files.isExecutable(chosen)) {
            return Optional.of(chosen);
        }
        return List.of("/usr/local/bin", "/usr/bin", "/bin").stream().map(dir -> Path.of(dir, "java"))
                .filter(Files::isExecutable).findFirst();
    }

    /** The arguments the shim passes that java: its own when prepared, else {@code lib/engine.args}. */
    public static Path argumentsOfTheShim(Path lib, Path java) {
        try {
            Path own = argumentsFile(lib, java.toRealPath());
            if (Files.isReadable(own)) {
                return own;
            }
        } catch (IOException unresolvable) {
            // the default arguments, as the shim
        }
        return lib.resolve(ShimValues.DEFAULT_ARGUMENTS);
    }
}
