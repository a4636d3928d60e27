package org.netroot.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.Processes;

/** "A lease is on disk before its ACK", taken literally: a process killed right after the write survives it. */
class StoreWriterDurabilityTest {
    @TempDir Path data;

    @Test
    void aLeaseWhoseWriteCompletedSurvivesKillMinusNineRightAfter() throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), LeaseWriterChild.class.getName(), data.toString());
        Process child = Processes.start(60, new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD));
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line = out.readLine();
            child.destroyForcibly(); // SIGKILL the moment the ACK could have left
            assertEquals("stored", line, "the child did not store its lease");
        } finally {
            Processes.destroyTree(child);
        }
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        try (Database db = Database.open(data)) {
            assertEquals("198.18.0.100", new LeaseRepository(db).byMac("52:54:00:00:00:01").orElseThrow(
                    () -> new AssertionError("the lease was acknowledged but is not in the file after kill -9")).ip());
        }
    }

    @Test
    void queuedWritesAreForcedToDiskOnceAsAGroupBeforeAnyFutureCompletes() throws Exception {
        AtomicInteger syncs = new AtomicInteger();
        List<Integer> writtenAtSync = new ArrayList<>();
        AtomicInteger written = new AtomicInteger();
        try (StoreWriter writer = new StoreWriter(() -> {
            syncs.incrementAndGet();
            writtenAtSync.add(written.get());
        })) {
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Void> first = writer.submit(() -> {
                try {
                    release.await(); // the disk is busy: the next writes queue up behind
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            List<CompletableFuture<Void>> queued = new ArrayList<>();
            for (int i = 0; i < 50; i++) queued.add(writer.submit(written::incrementAndGet));
            CompletableFuture<Boolean> allWrittenWhenFirstLeaves = queued.get(49).thenApply(v -> true);
            assertTrue(queued.stream().noneMatch(CompletableFuture::isDone));
            release.countDown();
            first.get(5, TimeUnit.SECONDS);
            CompletableFuture.allOf(queued.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            assertTrue(allWrittenWhenFirstLeaves.get());
            assertTrue(syncs.get() <= 2, "one sync per batch, not per write: " + syncs.get());
            assertEquals(50, writtenAtSync.getLast(), "the futures complete only after the sync that covers them");
        }
    }

    @Test
    void aFailedSyncFailsTheWritesItCovered() throws Exception {
        try (StoreWriter writer = new StoreWriter(() -> {
            throw new StoreException("disk full");
        })) {
            CompletableFuture<Void> f = writer.submit(() -> { });
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> f.get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("disk full"), e.getCause().getMessage());
        }
    }
}
