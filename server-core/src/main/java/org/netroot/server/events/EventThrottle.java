package org.netroot.server.events;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Lets one event per key (a MAC) through per period: a machine retrying every few seconds, or a
 * storm, must not fill the timeline or the log. Remembers at most {@link #MAX_KEYS} keys; past that
 * it starts over, which at worst lets a spoofed-MAC flood through once more per key.
 */
public final class EventThrottle {
    static final int MAX_KEYS = 10_000;

    private final long everyNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<String, Long> last = new ConcurrentHashMap<>();

    public EventThrottle(Duration every) {
        this(every, System::nanoTime);
    }

    public EventThrottle(Duration every, LongSupplier nanoTime) {
        this.everyNanos = every.toNanos();
        this.nanoTime = nanoTime;
    }

    /** True the first time for {@code key}, then again once the period has passed since it last was. */
    public boolean allow(String key) {
        long now = nanoTime.getAsLong();
        boolean[] allowed = {false};
        last.compute(key, (k, before) -> {
            if (before == null || now - before >= everyNanos) {
                allowed[0] = true;
                return now;
            }
            return before;
        });
        if (allowed[0] && last.size() > MAX_KEYS) last.clear();
        return allowed[0];
    }
}
