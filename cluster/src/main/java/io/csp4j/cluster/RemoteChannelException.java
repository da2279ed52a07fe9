package io.csp4j.cluster;

/**
 * A remote channel could not be reached: nobody exported the address, the owner did not answer in
 * time, or the {@link RemoteChannels} is closed. The message names the address and what to do.
 */
public class RemoteChannelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with its message and cause ({@code null} allowed). */
    public RemoteChannelException(String message, Throwable cause) {
        super(message, cause);
    }
}
