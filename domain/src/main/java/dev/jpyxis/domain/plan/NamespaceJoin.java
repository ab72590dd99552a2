package dev.jpyxis.domain.plan;

import java.util.Objects;
import java.util.Optional;

/**
 * One namespace a task joins, with the messages for failing to open or to join it: one of the process's own, or the
 * user namespace that owns one of them ({@code owned}), which the shim finds with {@code NS_GET_USERNS}.
 */
public record NamespaceJoin(NamespaceKind kind, Optional<NamespaceKind> owned, String openFailure,
        String joinFailure) {

    public NamespaceJoin {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(owned, "owned");
        Objects.requireNonNull(openFailure, "openFailure");
        Objects.requireNonNull(joinFailure, "joinFailure");
        if (owned.isPresent() && (kind != NamespaceKind.USER || owned.get() == NamespaceKind.USER)) {
            throw new IllegalArgumentException("only a user namespace owns others: " + kind + " of " + owned.get());
        }
    }

    public static NamespaceJoin of(NamespaceKind kind) {
        return new NamespaceJoin(kind, Optional.empty(), "pyxis: unable to open " + kind.description()
                + " namespace file", "pyxis: couldn't join " + kind.description() + " namespace");
    }

    /** The user namespace that owns the process's namespace of kind {@code owned}. */
    public static NamespaceJoin ownerOf(NamespaceKind owned) {
        return new NamespaceJoin(NamespaceKind.USER, Optional.of(owned), "pyxis: unable to open the user namespace"
                + " owning the " + owned.description() + " namespace", "pyxis: couldn't join the user namespace owning"
                + " the " + owned.description() + " namespace");
    }

    /** How the protocol names it: the kind, or {@code user@<kind>} for the owner of that kind. */
    public String protocolName() {
        return owned.map(kind -> "user@" + kind.procName()).orElse(kind.procName());
    }
}
