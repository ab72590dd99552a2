package dev.jpyxis.domain.port.out;

import dev.jpyxis.domain.config.RuntimeKind;

/** The container runtimes this installation offers, by the plugstack's {@code runtime} key. */
@FunctionalInterface
public interface RuntimeCatalog {

    /** What the runtime can do, known without touching a node. */
    RuntimeTraits traits(RuntimeKind kind);
}
