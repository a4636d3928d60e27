package org.netroot.server.events;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.netroot.server.api.BootEvent;
import org.netroot.server.store.BootEventRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records boot events without making protocol threads wait: {@link #record} only queues; one
 * writer thread names the client, stores the event (which gives it its id) and hands it to
 * subscribers (the control API's event stream, the app's timeline).
 */
public final class BootEventBus implements BootEventSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BootEventBus.class);
    private static final BootEvent POISON = BootEvent.of(null, null, null);
    /** Enough for months of boots; a flood of junk requests must not grow the database without end. */
    static final long KEEP_EVENTS = 200_000;
    private static final int PRUNE_EVERY = 1_000;
    private final long keepEvents;
    private long sincePrune;

    private final BootEventRepository repository;
    private final Function<String, String> clientNameByMac;
    private final BlockingQueue<BootEvent> queue = new LinkedBlockingQueue<>(100_000);
    private final List<Consumer<BootEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final Thread writer;

    public BootEventBus(BootEventRepository repository, Function<String, String> clientNameByMac) {
        this(repository, clientNameByMac, KEEP_EVENTS);
    }

    BootEventBus(BootEventRepository repository, Function<String, String> clientNameByMac, long keepEvents) {
        this.keepEvents = keepEvents;
        this.repository = repository;
        this.clientNameByMac = clientNameByMac;
        this.writer = Thread.ofPlatform().daemon().name("boot-event-writer").start(this::drain);
    }

    @Override
    public void record(BootEvent event) {
        if (!queue.offer(event)) log.warn("boot event queue full, dropped {}", event);
    }

    public Runnable subscribe(Consumer<BootEvent> subscriber) {
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    private void drain() {
        while (true) {
            BootEvent event;
            try {
                event = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (event == POISON) return;
            try {
                BootEvent named = event.clientName() == null && event.mac() != null
                        ? event.withClientName(clientNameByMac.apply(event.mac())) : event;
                BootEvent stored = repository.insert(named);
                if (++sincePrune >= Math.min(PRUNE_EVERY, keepEvents)) {
                    sincePrune = 0;
                    repository.keepNewest(keepEvents);
                }
                log.info("boot event {} {} {}{}", stored.type(), stored.mac() == null ? "-" : stored.mac(),
                        stored.detail() == null ? "" : stored.detail(),
                        stored.durationMs() == null ? "" : " (" + stored.durationMs() + " ms)");
                for (Consumer<BootEvent> s : subscribers) {
                    try {
                        s.accept(stored);
                    } catch (RuntimeException e) {
                        log.warn("boot event subscriber failed", e);
                    }
                }
            } catch (RuntimeException e) {
                log.error("could not store boot event {}", event, e);
            }
        }
    }

    /** Stores what is queued, then stops the writer. */
    @Override
    public void close() {
        queue.offer(POISON);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
