package org.netroot.server.store;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that writes what the protocols learn (leases, peer addresses), in the order they
 * ask: an event loop hands a write over and goes on; whoever must wait for the disk (an ACK waits
 * for its lease) waits on the returned future, not on a thread.
 */
public final class StoreWriter implements AutoCloseable {
    /** Writes waiting at most: a flood of requests must not grow memory while the disk lags behind. */
    static final int MAX_QUEUED = 100_000;

    private final ExecutorService thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(MAX_QUEUED), Thread.ofPlatform().name("store-writer").daemon(true).factory());

    /** Runs the write on the writer thread; the future completes once it is stored, or with its failure. */
    public CompletableFuture<Void> submit(Runnable write) {
        try {
            return CompletableFuture.runAsync(write, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new StoreException(thread.isShutdown()
                    ? "the server is stopping: not stored" : MAX_QUEUED + " writes are waiting for the disk: not stored", e));
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
