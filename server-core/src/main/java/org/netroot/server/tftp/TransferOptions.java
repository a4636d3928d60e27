package org.netroot.server.tftp;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a read request negotiated (RFC 2347 options), and the OACK that tells the client so.
 * {@code oack} holds only options the client asked for and we accepted; empty means "no OACK,
 * send DATA 1 at once" (RFC 2347: a server that accepts no option answers as plain RFC 1350).
 */
public record TransferOptions(int blockSize, int windowSize, long timeoutMillis, boolean tsizeAsked,
                              Map<String, String> oack) {

    public static final int DEFAULT_BLOCK_SIZE = 512;           // RFC 1350
    public static final int MIN_BLOCK_SIZE = 8;                 // RFC 2348
    /** Ethernet MTU 1500 - IPv4 20 - UDP 8 - TFTP 4: larger blocks fragment and some NICs drop fragments. */
    public static final int MAX_BLOCK_SIZE = 1468;
    /** RFC 7440 allows up to 65535; more than this only fills socket buffers and makes loss costlier. */
    public static final int MAX_WINDOW_SIZE = 64;

    /**
     * @param requested the RRQ's options (names lower case)
     * @param fileSize  the file's size, for tsize (RFC 2349 §4: the client sends 0 in a read request)
     * @param defaultTimeoutMillis our retransmission timeout when the client does not ask for one
     */
    public static TransferOptions negotiate(Map<String, String> requested, long fileSize, long defaultTimeoutMillis) {
        Map<String, String> oack = new LinkedHashMap<>();
        int blockSize = DEFAULT_BLOCK_SIZE;
        int windowSize = 1;
        long timeout = defaultTimeoutMillis;
        boolean tsizeAsked = false;
        for (Map.Entry<String, String> option : requested.entrySet()) {
            String value = option.getValue();
            switch (option.getKey()) {
                case "blksize" -> { // RFC 2348: 8..65464; we answer with a smaller value when capped
                    long asked = number(value);
                    if (asked >= MIN_BLOCK_SIZE) {
                        blockSize = (int) Math.min(asked, MAX_BLOCK_SIZE);
                        oack.put("blksize", Integer.toString(blockSize));
                    }
                }
                case "windowsize" -> { // RFC 7440: 1..65535
                    long asked = number(value);
                    if (asked >= 1 && asked <= 65535) {
                        windowSize = (int) Math.min(asked, MAX_WINDOW_SIZE);
                        oack.put("windowsize", Integer.toString(windowSize));
                    }
                }
                case "timeout" -> { // RFC 2349: 1..255 seconds, the server must use it or not acknowledge it
                    long asked = number(value);
                    if (asked >= 1 && asked <= 255) {
                        timeout = asked * 1000;
                        oack.put("timeout", Long.toString(asked));
                    }
                }
                case "tsize" -> { // RFC 2349: on a read request answer with the file's size
                    tsizeAsked = true;
                    oack.put("tsize", Long.toString(fileSize));
                }
                default -> { } // RFC 2347: unknown options are silently left out of the OACK
            }
        }
        return new TransferOptions(blockSize, windowSize, timeout, tsizeAsked, Collections.unmodifiableMap(oack));
    }

    public boolean sendsOack() {
        return !oack.isEmpty();
    }

    private static long number(String value) {
        if (value.isEmpty() || value.length() > 9) return -1;
        long n = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') return -1;
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
