package org.netroot.server.nbd;

/** Input that is not NBD we can follow: the reason is counted and logged, the connection closed. */
public final class MalformedNbdException extends Exception {
    public MalformedNbdException(String reason) {
        super(reason, null, false, false);
    }
}
