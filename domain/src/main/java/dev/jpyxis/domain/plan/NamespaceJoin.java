package dev.jpyxis.domain.plan;

import java.util.Objects;

/** One namespace a task joins, with the messages for failing to open or to join it. */
public record NamespaceJoin(NamespaceKind kind, String openFailure, String joinFailure) {

    public NamespaceJoin {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(openFailure, "openFailure");
        Objects.requireNonNull(joinFailure, "joinFailure");
    }

    public static NamespaceJoin of(NamespaceKind kind) {
        return new NamespaceJoin(kind, "pyxis: unable to open " + kind.description() + " namespace file",
                "pyxis: couldn't join " + kind.description() + " namespace");
    }
}
