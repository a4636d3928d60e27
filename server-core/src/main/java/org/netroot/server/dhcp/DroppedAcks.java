package org.netroot.server.dhcp;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.function.LongSupplier;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.EventThrottle;
import org.netroot.server.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports ACKs not sent because their lease could not be stored. In a storm with a full writer
 * queue or a dead disk that is every REQUEST: the log gets one line a minute with how many were
 * dropped, each MAC's timeline one event a minute. An expected store failure ("writes are waiting
 * for the disk", "stopping") is logged without a stack trace; anything else with one.
 */
final class DroppedAcks {
    private static final Logger log = LoggerFactory.getLogger(DhcpService.class);
    static final Duration EVERY = Duration.ofMinutes(1);

    private final BootEventSink events;
    private final EventThrottle eventsPerMac;
    private final LongSupplier nanoTime;
    private final long everyNanos = EVERY.toNanos();
    private long lastLog;
    private boolean loggedOnce;
    private long notLogged;

    DroppedAcks(BootEventSink events) {
        this(events, System::nanoTime);
    }

    DroppedAcks(BootEventSink events, LongSupplier nanoTime) {
        this.events = events;
        this.nanoTime = nanoTime;
        this.eventsPerMac = new EventThrottle(EVERY, nanoTime);
    }

    void dropped(DhcpReply reply, String interfaceName, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        String mac = reply.packet().mac();
        DhcpMessageType type = reply.packet().messageType();
        long sameMinute = countOrLog();
        if (sameMinute >= 0) {
            String message = "DHCP: could not store the lease for " + mac + " on " + interfaceName + ": " + type
                    + " not sent, the client will ask again" + (sameMinute > 0 ? " (" + sameMinute
                    + " more not sent since the last message a minute or more ago)" : "") + ": " + cause.getMessage();
            if (cause instanceof StoreException) log.error(message);
            else log.error(message, cause);
        }
        if (eventsPerMac.allow(mac)) {
            events.record(BootEvent.of(mac, BootEventType.ERROR, "DHCP " + type
                    + " not sent: the lease could not be stored: " + cause.getMessage()));
        }
    }

    /** -1 when this drop is only counted; otherwise how many were counted since the last log line. */
    private synchronized long countOrLog() {
        long now = nanoTime.getAsLong();
        if (loggedOnce && now - lastLog < everyNanos) {
            notLogged++;
            return -1;
        }
        loggedOnce = true;
        lastLog = now;
        long n = notLogged;
        notLogged = 0;
        return n;
    }
}
