package dev.jpyxis.domain.option;

import java.util.Arrays;
import java.util.Optional;

/** A namespace {@code --container-unshare} can ask for. */
public enum Namespace {
    NET("net"),
    IPC("ipc"),
    UTS("uts");

    private final String keyword;

    Namespace(String keyword) {
        this.keyword = keyword;
    }

    public String keyword() {
        return keyword;
    }

    public static Optional<Namespace> byKeyword(String keyword) {
        return Arrays.stream(values()).filter(ns -> ns.keyword.equals(keyword)).findFirst();
    }
}
