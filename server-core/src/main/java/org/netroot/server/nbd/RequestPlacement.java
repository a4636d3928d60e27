package org.netroot.server.nbd;

/**
 * Which requests run on the network thread that read them, as iSCSI's PduPlacement decides for its
 * PDUs: reads and writes that end in the page cache are quicker than the two thread hand-offs a
 * disk thread costs (most of a 4 KiB read's time at one request in flight). Flushes, FUA writes,
 * TRIM, WRITE_ZEROES and transfers over 256 KiB go to the disk threads, so they never stall the other
 * connections of that network thread; a quick request that turns out slow (a disk, not the page
 * cache) sends the connection's requests to the disk threads for a while ({@link #SLOW_NANOS}).
 */
final class RequestPlacement {
    /** Longer reads gain little from skipping a hand-off, and pin more memory on the network thread's pool. */
    static final long MAX_QUICK_LENGTH = 256 << 10;
    static final long SLOW_NANOS = 2_000_000;
    static final long BACK_OFF_NANOS = 1_000_000_000;

    private RequestPlacement() {
    }

    static boolean quick(Request r) {
        if (r.length() > MAX_QUICK_LENGTH) return false;
        return switch (r.type()) {
            case NbdProtocol.CMD_READ -> true;
            case NbdProtocol.CMD_WRITE -> (r.flags() & NbdProtocol.CMD_FLAG_FUA) == 0;
            default -> false;
        };
    }
}
