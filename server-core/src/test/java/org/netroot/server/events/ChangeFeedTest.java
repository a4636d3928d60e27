package org.netroot.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeType;

/** The ring behind the live stream, on plain objects. */
class ChangeFeedTest {
    @Test
    void replaysWhatTheRingHoldsAndResetsWhenItNoLongerHoldsAllThatWasMissed() {
        ChangeFeed feed = new ChangeFeed(3);
        long base = feed.lastId();
        for (int i = 1; i <= 5; i++) feed.publish(ChangeType.VOLUME_CREATED, "v" + i, null);
        // the ring holds base+3..base+5

        List<ChangeEvent> caughtUp = new ArrayList<>();
        feed.subscribe(base + 2, caughtUp::add);
        assertEquals(List.of("v3", "v4", "v5"), caughtUp.stream().map(ChangeEvent::subject).toList());

        List<ChangeEvent> tooOld = new ArrayList<>();
        feed.subscribe(base + 1, tooOld::add);
        assertEquals(List.of(ChangeType.RESET), tooOld.stream().map(ChangeEvent::type).toList());
        assertEquals(base + 5, tooOld.get(0).id(), "go on from the newest id after reloading");

        List<ChangeEvent> fromAnotherRun = new ArrayList<>();
        feed.subscribe(base + 99, fromAnotherRun::add);
        assertEquals(ChangeType.RESET, fromAnotherRun.get(0).type(), "an id the feed never gave");

        List<ChangeEvent> current = new ArrayList<>();
        feed.subscribe(base + 5, current::add);
        List<ChangeEvent> fresh = new ArrayList<>();
        ChangeFeed.Subscription s = feed.subscribe(0, fresh::add);
        feed.publish(ChangeType.VOLUME_REMOVED, "v1", null);
        assertEquals(List.of("v1"), current.stream().map(ChangeEvent::subject).toList(), "nothing missed, then live");
        assertEquals(List.of(base + 6), fresh.stream().map(ChangeEvent::id).toList(), "0 means from now on");
        s.cancel().run();
        feed.publish(ChangeType.VOLUME_REMOVED, "v2", null);
        assertEquals(1, fresh.size());
        assertEquals(4, feed.subscriberCount());
    }

    @Test
    void aFailingSubscriberIsDroppedAndTheOthersAndThePublisherGoOn() {
        ChangeFeed feed = new ChangeFeed(3);
        List<ChangeEvent> before = new ArrayList<>();
        List<ChangeEvent> after = new ArrayList<>();
        feed.subscribe(0, before::add);
        feed.subscribe(0, e -> {
            throw new java.util.concurrent.RejectedExecutionException("event executor terminated");
        });
        feed.subscribe(0, after::add);
        feed.publish(ChangeType.VOLUME_CREATED, "v1", null); // before: threw into the publisher, "after" missed it
        feed.publish(ChangeType.VOLUME_CREATED, "v2", null);
        assertEquals(List.of("v1", "v2"), before.stream().map(ChangeEvent::subject).toList());
        assertEquals(List.of("v1", "v2"), after.stream().map(ChangeEvent::subject).toList());
        assertEquals(2, feed.subscriberCount(), "the failing one is dropped");
    }

    @Test
    void anIdOfAnotherRunGetsAResetEvenWhenItsNumberIsOneThisRunGave() {
        // two runs close together (or a clock set back between them): before, ids were start time in
        // microseconds, so the earlier run's last id lay inside this run's ring and was replayed from
        int n = 100_000;
        ChangeFeed earlierRun = new ChangeFeed(n);
        for (int i = 0; i < n; i++) earlierRun.publish(ChangeType.VOLUME_CHANGED, "earlier" + i, null);
        long seenInEarlierRun = earlierRun.lastId();
        ChangeFeed thisRun = new ChangeFeed(n);
        for (int i = 0; i < n; i++) thisRun.publish(ChangeType.VOLUME_CHANGED, "this" + i, null);

        List<ChangeEvent> got = new ArrayList<>();
        thisRun.subscribe(seenInEarlierRun, got::add);
        assertEquals(ChangeType.RESET, got.get(0).type(), "not a silent gap");
        assertEquals(1, got.size(), "nothing replayed");
        assertEquals(thisRun.lastId(), got.get(0).id());
        assertTrue(thisRun.lastId() < (1L << 53), "ids stay exact as JavaScript numbers");
    }
}
