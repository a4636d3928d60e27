package org.netroot.server.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes what the protocols learn (leases, peer addresses), in the order they
 * ask: an event loop hands a write over and goes on; whoever must wait for the disk (an ACK waits
 * for its lease) waits on the returned future, not on a thread.
 *
 * <p>Group commit: the thread takes every write queued so far, runs them, then forces them to disk
 * once ({@link Database#sync()}), and only then completes their futures. H2's MVStore otherwise
 * writes a commit to the file up to WRITE_DELAY (500 ms) later and never fsyncs it, so "the lease
 * is on disk before its ACK" would not hold across a crash. One sync per batch, not per write,
 * keeps a DHCP storm fast: the more clients wait, the more one sync covers.
 */
public final class StoreWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    /** Writes waiting at most: a flood of requests must not grow memory while the disk lags behind. */
    static final int MAX_QUEUED = 100_000;
    /**
     * Writes one sync covers at most. No future completes before its batch is synced, so a batch of a
     * whole full queue would hold the first ACK until the last write is done: longer than a client's
     * first retransmit (4 s, RFC 2131 §4.1). A thousand still makes one sync cheap per write.
     */
    static final int MAX_BATCH = 1024;

    private record Write(Runnable work, CompletableFuture<Void> done) {
    }

    private static final Write STOP = new Write(() -> { }, new CompletableFuture<>());

    private final BlockingQueue<Write> queue = new ArrayBlockingQueue<>(MAX_QUEUED + 1);
    private final Runnable forceToDisk;
    private final Thread thread;
    private volatile boolean stopping;

    /** Writes through {@code db}, each batch forced to its file before the futures complete. */
    public StoreWriter(Database db) {
        this(db::sync);
    }

    /** Nothing to force to disk (an in-memory store, tests that do not ask for durability). */
    public StoreWriter() {
        this(() -> { });
    }

    StoreWriter(Runnable forceToDisk) {
        this.forceToDisk = forceToDisk;
        this.thread = Thread.ofPlatform().name("store-writer").daemon(true).start(this::run);
    }

    /** Runs the write on the writer thread; the future completes once it is on disk, or with its failure. */
    public CompletableFuture<Void> submit(Runnable write) {
        if (stopping) return CompletableFuture.failedFuture(new StoreException("the server is stopping: not stored"));
        Write w = new Write(write, new CompletableFuture<>());
        if (queue.size() >= MAX_QUEUED || !queue.offer(w)) {
            return CompletableFuture.failedFuture(new StoreException(MAX_QUEUED
                    + " writes are waiting for the disk: not stored"));
        }
        // close may have run between the check above and the offer, its writer gone and its queue
        // emptied: take the write back (if nobody else took it) so its future does not wait for ever
        if (stopping && queue.remove(w)) {
            w.done().completeExceptionally(new StoreException("the server is stopping: not stored"));
        }
        return w.done();
    }

    private void run() {
        List<Write> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            List<Write> written = new ArrayList<>(batch.size());
            for (Write w : batch) {
                try {
                    w.work().run();
                    written.add(w);
                } catch (Throwable e) {
                    w.done().completeExceptionally(e);
                }
            }
            Throwable syncFailure = null;
            if (!written.isEmpty()) {
                try {
                    forceToDisk.run();
                } catch (Throwable e) {
                    syncFailure = e;
                    log.warn("could not force {} writes to disk: {}", written.size(), e.toString());
                }
            }
            for (Write w : written) {
                if (syncFailure == null) w.done().complete(null);
                else w.done().completeExceptionally(new StoreException("written but not forced to disk: "
                        + syncFailure.getMessage(), syncFailure));
            }
            batch.clear();
            if (stop) return;
        }
    }

    /** Writes what is queued, then stops. */
    @Override
    public void close() {
        if (stopping) return;
        stopping = true;
        try {
            queue.offer(STOP, 10, TimeUnit.SECONDS); // one slot above MAX_QUEUED is kept for it
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // a write that slipped in behind the stop is not left waiting for ever
        for (Write w; (w = queue.poll()) != null; ) {
            w.done().completeExceptionally(new StoreException("the server is stopping: not stored"));
        }
    }
}
