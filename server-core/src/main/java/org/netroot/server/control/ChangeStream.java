package org.netroot.server.control;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Json;
import org.netroot.server.events.ChangeFeed;

/**
 * One SSE subscriber of the {@link ChangeFeed}: the feed only queues (bounded); the channel's event
 * loop writes while the channel is writable and resumes when it becomes writable again. A reader
 * so slow that its queue passes {@link ChangeFeed#subscriberQueueBound()} is sent {@code event: overflow} and dropped:
 * its memory on the server stays bounded by the queue and Netty's write-buffer high-water mark.
 */
final class ChangeStream {
    /** A dropped reader that does not read even the overflow notice is cut off after this. */
    private static final long CLOSE_AFTER_OVERFLOW_SECONDS = 5;

    /** Per server, for status and tests: readers dropped for reading too slowly, the longest queue seen. */
    static final class Stats {
        final AtomicLong droppedSlowReaders = new AtomicLong();
        final AtomicInteger longestQueue = new AtomicInteger();
    }

    private final Channel channel;
    private final Stats stats;
    private final ArrayDeque<ChangeEvent> queue = new ArrayDeque<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private boolean dropped;
    /** The feed's: all it can replay plus room for what happens during the catch-up. */
    private int bound = Integer.MAX_VALUE;
    private Runnable cancel = () -> { };

    ChangeStream(Channel channel, Stats stats) {
        this.channel = channel;
        this.stats = stats;
    }

    /** Subscribes; what the feed replays is queued before anything live. */
    void start(ChangeFeed feed, long afterId) {
        synchronized (this) {
            bound = feed.subscriberQueueBound();
        }
        ChangeFeed.Subscription s = feed.subscribe(afterId, this::offer);
        synchronized (this) {
            cancel = s.cancel();
            if (dropped) cancel.run();
        }
        channel.closeFuture().addListener(f -> stop());
        scheduleDrain();
    }

    /** Called by the feed under its lock: must only queue. */
    private void offer(ChangeEvent e) {
        synchronized (this) {
            if (dropped) return;
            if (queue.size() >= bound) {
                overflow();
                return;
            }
            queue.add(e);
            stats.longestQueue.accumulateAndGet(queue.size(), Math::max);
        }
        scheduleDrain();
    }

    private void overflow() {
        dropped = true;
        queue.clear();
        stats.droppedSlowReaders.incrementAndGet();
        cancel.run();
        channel.eventLoop().execute(() -> {
            channel.writeAndFlush(frame(new ChangeEvent(0, ChangeType.OVERFLOW, java.time.Instant.now(), null, null)))
                    .addListener(ChannelFutureListener.CLOSE);
            channel.eventLoop().schedule(() -> channel.close(), CLOSE_AFTER_OVERFLOW_SECONDS, TimeUnit.SECONDS);
        });
    }

    private synchronized void stop() {
        dropped = true;
        queue.clear();
        cancel.run();
    }

    private void scheduleDrain() {
        if (drainScheduled.compareAndSet(false, true)) channel.eventLoop().execute(this::drain);
    }

    /** On the event loop: write while the peer keeps up; channelWritabilityChanged calls again. */
    void drain() {
        drainScheduled.set(false);
        boolean wrote = false;
        while (channel.isActive() && channel.isWritable()) {
            ChangeEvent e;
            synchronized (this) {
                e = queue.poll();
            }
            if (e == null) break;
            channel.write(frame(e));
            wrote = true;
        }
        if (wrote) channel.flush();
    }

    private static DefaultHttpContent frame(ChangeEvent e) {
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(e);
        } catch (Exception ex) {
            json = "{\"id\":" + e.id() + ",\"type\":\"" + e.type() + "\"}";
        }
        // one data line: Jackson escapes newlines inside strings
        String text = (e.id() > 0 ? "id: " + e.id() + "\n" : "") + "event: " + e.type().wireName() + "\ndata: " + json
                + "\n\n";
        return new DefaultHttpContent(Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }
}
