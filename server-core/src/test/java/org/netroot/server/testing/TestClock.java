package org.netroot.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test moves: starts at {@link #START} (or where it is told), UTC, never ticks by itself. */
public final class TestClock extends Clock {
    public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private volatile Instant now;

    public TestClock() {
        this(START);
    }

    public TestClock(Instant start) {
        this.now = start;
    }

    public void advance(Duration d) {
        now = now.plus(d);
    }

    public void set(Instant at) {
        now = at;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
