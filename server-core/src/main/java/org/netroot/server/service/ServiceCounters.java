package org.netroot.server.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.ServerStatus;

/**
 * Publishes SERVICE_COUNTERS for a service whose requests or dropped input moved, at most once per
 * period: the app shows live counters without polling, and an idle server publishes nothing. Per
 * packet events would flood the stream during a boot (an iSCSI read is thousands of PDUs); one
 * change per service per second costs the stream at most four entries a second.
 */
public final class ServiceCounters implements AutoCloseable {
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(1);

    private final ServiceManager services;
    private final Map<String, ServerStatus.ServiceState> published = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("service-counters").daemon(true).factory());

    public ServiceCounters(ServiceManager services) {
        this.services = services;
    }

    public ServiceCounters start(Duration period) {
        // the first look only remembers: start-up counters arrive with the status and the STARTED events
        timer.execute(() -> check(false));
        timer.scheduleWithFixedDelay(() -> check(true), period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Compares with what was last published and publishes what moved; runs on the timer thread only. */
    void check(boolean publish) {
        try {
            for (ServerStatus.ServiceState now : services.states()) {
                ServerStatus.ServiceState before = published.get(now.name());
                if (before != null && !now.countersDiffer(before)) continue;
                published.put(now.name(), now);
                if (publish && before != null) services.listener().changed(ChangeType.SERVICE_COUNTERS, now);
            }
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(ServiceCounters.class).warn("service counters: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
