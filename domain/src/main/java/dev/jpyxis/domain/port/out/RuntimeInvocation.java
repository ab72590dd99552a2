package dev.jpyxis.domain.port.out;

import dev.jpyxis.domain.env.Environment;
import java.util.Objects;

/** The environment and working directory a runtime or importer command runs with. */
public record RuntimeInvocation(Environment environment, String workingDirectory) {

    public RuntimeInvocation {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
    }
}
