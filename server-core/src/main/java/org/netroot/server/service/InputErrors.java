package org.netroot.server.service;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts and logs input a service dropped (garbage or truncated packets, bad requests), so a
 * flood of junk is visible in the status and the log without stopping the next client.
 */
public final class InputErrors {
    private static final Logger log = LoggerFactory.getLogger(InputErrors.class);
    private static final long LOG_EVERY_AFTER = 100;

    private final ConcurrentHashMap<String, AtomicLong> byProtocol = new ConcurrentHashMap<>();

    /** @param protocol "DHCP", "TFTP", "HTTP", "iSCSI"; @param peer where it came from, for the log */
    public void dropped(String protocol, Object peer, String reason) {
        long n = byProtocol.computeIfAbsent(protocol, p -> new AtomicLong()).incrementAndGet();
        // the first hundred are all logged; after that one in a hundred, so junk cannot fill the disk
        if (n <= LOG_EVERY_AFTER || n % LOG_EVERY_AFTER == 0) {
            log.warn("{}: dropped input from {}: {} ({} dropped so far)", protocol, peer, reason, n);
        }
    }

    public long count(String protocol) {
        AtomicLong n = byProtocol.get(protocol);
        return n == null ? 0 : n.get();
    }

    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        byProtocol.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
