package org.netroot.server.api;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * {@link NetrootControl#followEvents} on top of the live stream: subscribes first and holds live
 * boot events while the backlog is read page by page, then releases them in order; ids drop the
 * overlap, so nothing falls between backlog and live and nothing comes twice. A follower the
 * server dropped for reading too slowly starts over from the last event it delivered.
 */
public final class BootEventFollower implements ChangeListener, AutoCloseable {
    private final NetrootControl control;
    private final Consumer<BootEvent> sink;
    private final ArrayDeque<BootEvent> held = new ArrayDeque<>();
    private long last;
    private boolean live;
    private boolean closed;
    private AutoCloseable subscription;
    private Thread catchingUp;

    private BootEventFollower(NetrootControl control, long afterId, Consumer<BootEvent> sink) {
        this.control = control;
        this.last = afterId;
        this.sink = sink;
    }

    /** {@code control.subscribe} must return only once the server has registered the subscriber. */
    public static AutoCloseable follow(NetrootControl control, long afterId, Consumer<BootEvent> sink) {
        BootEventFollower f = new BootEventFollower(control, afterId, sink);
        f.start();
        return f;
    }

    private void start() {
        AutoCloseable s = control.subscribe(0, this);
        long from;
        synchronized (this) {
            subscription = s;
            from = last;
            catchingUp = Thread.ofVirtual().name("follow-events-backlog").start(() -> catchUp(from));
        }
    }

    private void catchUp(long from) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                var page = control.events(from, 1000);
                if (page.isEmpty()) break;
                for (BootEvent e : page) deliver(e);
                from = page.get(page.size() - 1).id();
            }
            goLive();
        } catch (RuntimeException e) {
            // the server went away while reading the backlog: nothing more will come
        }
    }

    @Override
    public void onEvent(ChangeEvent event) {
        if (event.type() == ChangeType.OVERFLOW) {
            Thread.ofVirtual().name("follow-events-restart").start(this::restart);
            return;
        }
        if (event.type() != ChangeType.BOOT) return;
        BootEvent e = event.payloadAs(BootEvent.class);
        synchronized (this) {
            if (live) deliver(e);
            else held.add(e);
        }
    }

    private void restart() {
        synchronized (this) {
            if (closed) return;
            live = false;
            held.clear();
            closeQuietly(subscription);
        }
        try {
            start();
        } catch (RuntimeException e) {
            // the server is gone
        }
    }

    private synchronized void goLive() {
        while (!held.isEmpty()) deliver(held.poll());
        live = true;
    }

    private synchronized void deliver(BootEvent e) {
        if (closed || e.id() <= last) return;
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
