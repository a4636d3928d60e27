package org.netroot.server.events;

import java.time.Instant;
import java.util.ArrayDeque;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeListener;
import org.netroot.server.api.ChangeType;

/**
 * An in-process subscriber of the {@link ChangeFeed}, held to the same rules as a stream reader:
 * the feed only queues (bounded by {@link ChangeFeed#subscriberQueueBound()}), the listener is
 * called on its own virtual thread, and a listener so slow that the queue fills is sent
 * {@link ChangeType#OVERFLOW} and dropped, so a stuck listener cannot grow the server's memory.
 * It ends with {@code onClosed} when closed, dropped or when the server stops ({@link #end}).
 */
public final class QueuedSubscription implements AutoCloseable {
    private final ChangeFeed feed;
    private final ChangeListener listener;
    private final int bound;
    private final ArrayDeque<ChangeEvent> queue = new ArrayDeque<>();
    private boolean ended;
    private Runnable cancel;

    public QueuedSubscription(ChangeFeed feed, ChangeListener listener) {
        this.feed = feed;
        this.listener = listener;
        this.bound = feed.subscriberQueueBound();
    }

    /** Subscribes after {@code afterId} (see {@link ChangeFeed#subscribe}); {@code onEnded} runs once it ends. */
    public QueuedSubscription start(long afterId, Runnable onEnded) {
        ChangeFeed.Subscription sub = feed.subscribe(afterId, this::offer);
        boolean endedAlready;
        synchronized (this) {
            cancel = sub.cancel();
            endedAlready = ended;
        }
        if (endedAlready) sub.cancel().run();
        Thread.ofVirtual().name("subscriber").start(() -> {
            try {
                deliver();
            } finally {
                onEnded.run();
            }
        });
        return this;
    }

    /** Called by the feed under its lock: only queues. */
    private synchronized void offer(ChangeEvent e) {
        if (ended) return;
        if (queue.size() >= bound) {
            // what is queued is no use without what is dropped now: the listener reloads instead
            queue.clear();
            queue.add(new ChangeEvent(0, ChangeType.OVERFLOW, Instant.now(), null, null));
            ended = true;
            if (cancel != null) cancel.run();
        } else {
            queue.add(e);
        }
        notifyAll();
    }

    private void deliver() {
        try {
            while (true) {
                ChangeEvent e;
                synchronized (this) {
                    while (queue.isEmpty() && !ended) wait();
                    e = queue.poll();
                }
                if (e == null) break;
                listener.onEvent(e);
            }
            listener.onClosed();
        } catch (InterruptedException e) {
            listener.onClosed();
        } catch (RuntimeException e) {
            end(false);
            listener.onError(e);
        }
    }

    /**
     * Ends the subscription: the listener gets what is already queued (unless {@code dropQueued}),
     * then {@code onClosed}.
     */
    public void end(boolean dropQueued) {
        Runnable c;
        synchronized (this) {
            if (dropQueued) queue.clear();
            ended = true;
            c = cancel;
            notifyAll();
        }
        if (c != null) c.run();
    }

    /** The subscriber's own end: nothing more is delivered. */
    @Override
    public void close() {
        end(true);
    }
}
