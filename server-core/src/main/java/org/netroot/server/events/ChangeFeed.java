package org.netroot.server.events;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live stream's source: every change gets the next id and is kept in a bounded ring of the
 * newest ones, so a subscriber that reconnects with the last id it saw gets what it missed from
 * memory, never from the database. An id carries the feed's run in its high bits and a sequence
 * number in the low {@value #SEQUENCE_BITS}: an id of another run (a restart, another server) is
 * told to reset, whatever the clock did in between. Ids stay below 2^53, exact as JavaScript numbers.
 * Subscribers are called under the feed's lock, in id order, and must only queue; one that throws
 * is dropped, the others still get the change.
 */
public final class ChangeFeed implements ChangePublisher {
    private static final Logger log = LoggerFactory.getLogger(ChangeFeed.class);
    public static final int DEFAULT_CAPACITY = 10_000;
    static final int SEQUENCE_BITS = 32;
    /** Runs 1..2^21-1: with 32 sequence bits an id is below 2^53. */
    private static final long RUNS = (1L << (53 - SEQUENCE_BITS)) - 1;
    /** Random per process (no two servers after each other share a run but by a 1 in 2 million chance), then counting. */
    private static final AtomicLong NEXT_RUN = new AtomicLong(new SecureRandom().nextLong(RUNS));
    /**
     * Room a subscriber's queue has beyond the ring: one that reconnects with the oldest id the
     * ring holds has all of it queued at once, and changes keep coming while it catches up.
     */
    public static final int LIVE_HEADROOM = 10_000;

    /** A subscription: {@code cancel} ends it. */
    public record Subscription(long lastId, Runnable cancel) {
    }

    private final int capacity;
    private final ArrayDeque<ChangeEvent> ring;
    private final List<Consumer<ChangeEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final long run;
    private long lastId;

    public ChangeFeed() {
        this(DEFAULT_CAPACITY);
    }

    public ChangeFeed(int capacity) {
        this.capacity = capacity;
        this.ring = new ArrayDeque<>(Math.min(capacity, 1024));
        this.run = NEXT_RUN.getAndIncrement() % RUNS + 1;
        this.lastId = run << SEQUENCE_BITS;
    }

    @Override
    public synchronized void publish(ChangeType type, String subject, Object payload) {
        ChangeEvent e = new ChangeEvent(++lastId, type, Instant.now(), subject, payload);
        if (ring.size() == capacity) ring.removeFirst();
        ring.addLast(e);
        for (Consumer<ChangeEvent> s : subscribers) {
            try {
                s.accept(e);
            } catch (RuntimeException failed) {
                // e.g. a stream whose event loop shut down (RejectedExecutionException): its reader is
                // gone; the others and the publisher (a boot, a DHCP reply) must not notice
                subscribers.remove(s);
                log.debug("dropped a live stream subscriber that failed: {}", failed.toString());
            }
        }
    }

    /**
     * Subscribes for what follows {@code afterId} (0: only what happens from now). What the ring
     * holds after that id is delivered first, before any new change; when the ring no longer holds
     * all of it the subscriber gets one {@link ChangeType#RESET} (carrying the newest id) instead.
     */
    public synchronized Subscription subscribe(long afterId, Consumer<ChangeEvent> subscriber) {
        if (afterId > 0 && afterId != lastId) {
            long oldest = ring.isEmpty() ? lastId + 1 : ring.peekFirst().id();
            boolean anotherRun = afterId >>> SEQUENCE_BITS != run;
            if (anotherRun || afterId < oldest - 1 || afterId > lastId) {
                subscriber.accept(new ChangeEvent(lastId, ChangeType.RESET, Instant.now(), null, null));
            } else {
                for (ChangeEvent e : ring) if (e.id() > afterId) subscriber.accept(e);
            }
        }
        subscribers.add(subscriber);
        return new Subscription(lastId, () -> subscribers.remove(subscriber));
    }

    /** How many entries a subscriber may have queued before it is dropped as too slow: a full replay plus headroom. */
    public int subscriberQueueBound() {
        return capacity + LIVE_HEADROOM;
    }

    public synchronized long lastId() {
        return lastId;
    }

    public int subscriberCount() {
        return subscribers.size();
    }
}
