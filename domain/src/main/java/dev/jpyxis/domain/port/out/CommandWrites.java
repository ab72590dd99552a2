package dev.jpyxis.domain.port.out;

/**
 * How many bytes the commands a step runs (the runtime's, the importer's, and every process they start) have written
 * to storage so far: a count that grows while they work, read to tell the user how a long import goes.
 */
@FunctionalInterface
public interface CommandWrites {

    /** Counts nothing: for nodes that cannot tell. */
    CommandWrites NONE = () -> 0;

    long bytesWritten();
}
