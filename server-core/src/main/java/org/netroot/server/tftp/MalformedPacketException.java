package org.netroot.server.tftp;

/** A datagram that is not a TFTP packet we can read: it is dropped and counted, never answered. */
public final class MalformedPacketException extends Exception {
    public MalformedPacketException(String reason) {
        super(reason, null, false, false);
    }
}
