package org.netroot.server.api;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * {@link NetrootControl#followEvents} on top of the live stream: subscribes first and holds live
 * boot events while the backlog is read page by page, then releases them in order; ids drop the
 * overlap, so nothing falls between backlog and live and nothing comes twice.
 */
public final class BootEventFollower implements ChangeListener {
    private final Consumer<BootEvent> sink;
    private final ArrayDeque<BootEvent> held = new ArrayDeque<>();
    private long last;
    private boolean live;

    private BootEventFollower(long afterId, Consumer<BootEvent> sink) {
        this.last = afterId;
        this.sink = sink;
    }

    /** {@code control.subscribe} must return only once the server has registered the subscriber. */
    public static AutoCloseable follow(NetrootControl control, long afterId, Consumer<BootEvent> sink) {
        BootEventFollower f = new BootEventFollower(afterId, sink);
        AutoCloseable subscription = control.subscribe(0, f);
        Thread backlog = Thread.ofVirtual().name("follow-events-backlog").start(() -> {
            try {
                long from = afterId;
                while (!Thread.currentThread().isInterrupted()) {
                    var page = control.events(from, 1000);
                    if (page.isEmpty()) break;
                    for (BootEvent e : page) f.deliver(e);
                    from = page.get(page.size() - 1).id();
                }
                f.goLive();
            } catch (RuntimeException e) {
                // the server went away while reading the backlog: the subscription reports it
            }
        });
        return () -> {
            backlog.interrupt();
            subscription.close();
        };
    }

    @Override
    public synchronized void onEvent(ChangeEvent event) {
        if (event.type() != ChangeType.BOOT) return;
        BootEvent e = event.payloadAs(BootEvent.class);
        if (live) deliver(e);
        else held.add(e);
    }

    private synchronized void goLive() {
        while (!held.isEmpty()) deliver(held.poll());
        live = true;
    }

    private synchronized void deliver(BootEvent e) {
        if (e.id() <= last) return;
        last = e.id();
        sink.accept(e);
    }
}
