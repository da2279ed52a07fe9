package io.csp4j.cluster;

/**
 * What {@link RemoteOptions#onFailure} receives: a link failed (its peer stopped answering, a
 * sequence gap, the node closed), or values were lost or refused on it. {@link #lost()} is the
 * number of values this side counts as lost on the link (sent but not confirmed when the link failed,
 * missing from a sequence, undecodable, or refused by a closed channel), never counted twice.
 */
public class RemoteLinkException extends RemoteChannelException {

    private static final long serialVersionUID = 1L;

    private final String address;
    private final long lost;

    /** Creates the report for the link to {@code address}, with {@code lost} values counted lost. */
    public RemoteLinkException(String address, long lost, String message, Throwable cause) {
        super("remote channel '" + address + "': " + message + (lost > 0 ? " (" + lost + " values counted lost)" : ""),
                cause);
        this.address = address;
        this.lost = lost;
    }

    /** The exported address of the link. */
    public String address() {
        return address;
    }

    /** The values this report counts as lost (0 for a failure that lost nothing). */
    public long lost() {
        return lost;
    }
}
