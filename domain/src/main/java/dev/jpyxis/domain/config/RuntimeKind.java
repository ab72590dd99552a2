package dev.jpyxis.domain.config;

import java.util.Arrays;
import java.util.Optional;

/** The container runtime a node drives, chosen with the plugstack key {@code runtime}. */
public enum RuntimeKind {
    ENROOT("enroot"),
    CHARLIECLOUD("charliecloud");

    private final String keyword;

    RuntimeKind(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Optional<RuntimeKind> byKeyword(String keyword) {
        return Arrays.stream(values()).filter(kind -> kind.keyword.equals(keyword)).findFirst();
    }
}
