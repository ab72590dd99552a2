package dev.jpyxis.domain.internal.option;

import java.util.Arrays;
import java.util.Optional;

/** The {@code :FLAG} suffix of {@code --container-name}, deciding how an existing container is used. */
public enum NameFlag {
    /** Attach when running, reuse the filesystem when it exists, create otherwise. */
    AUTO("auto"),
    /** Fail if the container exists at all. */
    CREATE("create"),
    /** Fail unless the container exists and is running. */
    EXEC("exec"),
    /** Never attach; a running container is treated as existing but not running. */
    NO_EXEC("no_exec");

    private final String keyword;

    NameFlag(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Optional<NameFlag> byKeyword(String keyword) {
        return Arrays.stream(values()).filter(flag -> flag.keyword.equals(keyword)).findFirst();
    }
}
