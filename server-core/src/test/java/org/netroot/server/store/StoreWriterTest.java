package org.netroot.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The writer thread on its own: how much one sync covers, and that every future ends, even at close. */
class StoreWriterTest {

    @Test
    void aLongQueueIsWrittenInBoundedBatchesSoTheFirstWaitersAreNotHeldByTheLast() throws Exception {
        // REVIEW3 #7: with the queue full in a storm, one batch of everything (up to 100k writes) held
        // the first ACK until the last write was done and synced: longer than a client's retransmit
        List<Integer> batches = new ArrayList<>();
        AtomicInteger sinceSync = new AtomicInteger();
        CountDownLatch blocked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (StoreWriter writer = new StoreWriter(() -> batches.add(sinceSync.getAndSet(0)))) {
            writer.submit(() -> {
                blocked.countDown();
                await(release);
            });
            assertTrue(blocked.await(10, TimeUnit.SECONDS));
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (int i = 0; i < 3 * StoreWriter.MAX_BATCH; i++) all.add(writer.submit(sinceSync::incrementAndGet));
            release.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
        assertEquals(3 * StoreWriter.MAX_BATCH, batches.stream().mapToInt(Integer::intValue).sum());
        assertTrue(batches.stream().allMatch(n -> n <= StoreWriter.MAX_BATCH), "batches " + batches);
    }

    @Test
    void everyWriteSubmittedWhileClosingEndsOneWayOrTheOther() throws Exception {
        // REVIEW3 #7: a submit that passed the stopping check before close, and queued its write after
        // close emptied the queue, left a future that never completed (its ACK waiting for ever)
        for (int round = 0; round < 200; round++) {
            StoreWriter writer = new StoreWriter();
            AtomicBoolean go = new AtomicBoolean(true);
            List<CompletableFuture<Void>> futures = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                submitters.add(Thread.ofPlatform().start(() -> {
                    while (go.get()) futures.add(writer.submit(() -> { }));
                }));
            }
            Thread.sleep(1);
            writer.close();
            go.set(false);
            for (Thread t : submitters) t.join();
            for (CompletableFuture<Void> f : futures) {
                try {
                    f.get(5, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException expected) {
                    // refused because stopping: fine, it ended
                } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError("round " + round + ": a write submitted during close never ended", e);
                }
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
