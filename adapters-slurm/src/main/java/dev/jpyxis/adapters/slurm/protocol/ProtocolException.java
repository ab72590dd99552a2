package dev.jpyxis.adapters.slurm.protocol;

/** A message that does not follow the protocol. */
public final class ProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }
}
