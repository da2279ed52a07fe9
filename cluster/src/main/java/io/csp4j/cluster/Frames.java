package io.csp4j.cluster;

/** The frame names and headers of the link protocol (PROTOCOL.md, "Frames"). */
final class Frames {
    private Frames() {}

    /** Header: the frame. */
    static final String F = "f";
    /** Header: the link id. */
    static final String L = "l";
    /** Header: the frame's number (seq, upTo, window). */
    static final String S = "s";
    /** CONNECT header: take or put. */
    static final String ROLE = "role";
    /** CONNECT header and reply: the sender's node address. */
    static final String NODE = "node";

    static final String CONNECT = "CONNECT";
    static final String DATA = "DATA";
    static final String CREDIT = "CREDIT";
    static final String END = "END";
    static final String CANCEL = "CANCEL";
    static final String PING = "PING";
    static final String GONE = "GONE";

    static final String TAKE = "take";
    static final String PUT = "put";
}
