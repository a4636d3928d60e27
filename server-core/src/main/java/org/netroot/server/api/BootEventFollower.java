package org.netroot.server.api;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * {@link NetrootControl#followEvents} on top of the live stream: subscribes first and holds live
 * boot events while the backlog is read page by page, then releases them in order; ids drop the
 * overlap, so nothing falls between backlog and live and nothing comes twice. A follower the
 * server dropped for reading too slowly starts over from the last event it delivered. When the
 * stream ends for any other reason (the server stopped, the connection broke) the follower ends
 * and says so once through {@code onEnd}; closing it is the caller's own end and is not reported.
 */
public final class BootEventFollower implements AutoCloseable {
    private final NetrootControl control;
    private final Consumer<BootEvent> sink;
    private final Consumer<Throwable> onEnd;
    private final ArrayDeque<BootEvent> held = new ArrayDeque<>();
    private long last;
    private boolean live;
    private boolean closed;
    private boolean ended;
    /** Which subscription is current: what an earlier one (dropped after an overflow) says is ignored. */
    private int generation;
    private AutoCloseable subscription;
    private Thread catchingUp;

    private BootEventFollower(NetrootControl control, long afterId, Consumer<BootEvent> sink, Consumer<Throwable> onEnd) {
        this.control = control;
        this.last = afterId;
        this.sink = sink;
        this.onEnd = onEnd;
    }

    /** {@code control.subscribe} must return only once the server has registered the subscriber. */
    public static AutoCloseable follow(NetrootControl control, long afterId, Consumer<BootEvent> sink) {
        return follow(control, afterId, sink, end -> { });
    }

    /**
     * As {@link #follow(NetrootControl, long, Consumer)}; {@code onEnd} runs once when following
     * ends without {@link #close()}: with null when the server ended the stream, else the error.
     */
    public static AutoCloseable follow(NetrootControl control, long afterId, Consumer<BootEvent> sink,
            Consumer<Throwable> onEnd) {
        BootEventFollower f = new BootEventFollower(control, afterId, sink, onEnd);
        f.start();
        return f;
    }

    private void start() {
        int gen;
        synchronized (this) {
            gen = generation;
        }
        AutoCloseable s = control.subscribe(0, new Listener(gen));
        long from;
        synchronized (this) {
            if (closed || ended || gen != generation) {
                // closed (or ended) while subscribing, e.g. during a restart: nobody would close this one
                closeQuietly(s);
                return;
            }
            subscription = s;
            from = last;
            catchingUp = Thread.ofVirtual().name("follow-events-backlog").start(() -> catchUp(from, gen));
        }
    }

    private void catchUp(long from, int gen) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                var page = control.events(from, 1000);
                if (page.isEmpty()) break;
                for (BootEvent e : page) deliver(e);
                from = page.get(page.size() - 1).id();
            }
            goLive(gen);
        } catch (RuntimeException e) {
            // the server went away while reading the backlog (or the sink failed): nothing more will come,
            // unless this reader was only interrupted by a restart after an overflow
            if (isCurrent(gen)) end(e);
        }
    }

    /** One subscription's callbacks; {@code gen} tells them apart from a later one's. */
    private final class Listener implements ChangeListener {
        private final int gen;

        Listener(int gen) {
            this.gen = gen;
        }

        @Override
        public void onEvent(ChangeEvent event) {
            if (event.type() == ChangeType.OVERFLOW) {
                synchronized (BootEventFollower.this) {
                    if (gen != generation || closed || ended) return;
                    generation++; // this subscription's end (the server drops it) is no end of the follower
                }
                Thread.ofVirtual().name("follow-events-restart").start(BootEventFollower.this::restart);
                return;
            }
            if (event.type() != ChangeType.BOOT) return;
            BootEvent e = event.payloadAs(BootEvent.class);
            synchronized (BootEventFollower.this) {
                if (gen != generation) return;
                if (live) deliver(e);
                else held.add(e);
            }
        }

        @Override
        public void onClosed() {
            if (isCurrent(gen)) end(null);
        }

        @Override
        public void onError(Throwable error) {
            if (isCurrent(gen)) end(error);
        }
    }

    private synchronized boolean isCurrent(int gen) {
        return gen == generation;
    }

    private void restart() {
        AutoCloseable old;
        synchronized (this) {
            if (closed || ended) return;
            live = false;
            held.clear();
            old = subscription;
            if (catchingUp != null) catchingUp.interrupt();
        }
        closeQuietly(old);
        try {
            start();
        } catch (RuntimeException e) {
            end(e); // the server is gone
        }
    }

    /** Following ended by itself: tell the caller once, and let go of the stream. */
    private void end(Throwable error) {
        AutoCloseable s;
        synchronized (this) {
            if (closed || ended) return;
            ended = true;
            generation++;
            s = subscription;
            if (catchingUp != null && catchingUp != Thread.currentThread()) catchingUp.interrupt();
        }
        closeQuietly(s);
        onEnd.accept(error);
    }

    private synchronized void goLive(int gen) {
        if (gen != generation) return; // a restart's own backlog reader goes live
        while (!held.isEmpty()) deliver(held.poll());
        live = true;
    }

    private synchronized void deliver(BootEvent e) {
        if (closed || ended || e.id() <= last) return;
        last = e.id();
        sink.accept(e);
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (catchingUp != null) catchingUp.interrupt();
        closeQuietly(subscription);
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) c.close();
        } catch (Exception ignored) {
            // closing a stream that already ended
        }
    }
}
