package org.netroot.server.iscsi;

/** Input that is not a PDU we can handle: the reason is counted and logged, the connection closed. */
public final class MalformedPduException extends Exception {
    public MalformedPduException(String reason) {
        super(reason, null, false, false);
    }
}
