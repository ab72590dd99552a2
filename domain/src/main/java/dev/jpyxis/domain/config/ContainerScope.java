package dev.jpyxis.domain.config;

import java.util.Arrays;
import java.util.Optional;

/** Whether container names are private to a job ({@code pyxis_<J>_NAME}) or shared by the user's jobs. */
public enum ContainerScope {
    JOB("job"),
    GLOBAL("global");

    private final String keyword;

    ContainerScope(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Optional<ContainerScope> byKeyword(String keyword) {
        return Arrays.stream(values()).filter(scope -> scope.keyword.equals(keyword)).findFirst();
    }
}
