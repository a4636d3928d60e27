package org.netroot.server.runtime;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Job;
import org.netroot.server.events.ChangePublisher;
import org.netroot.server.storage.VolumeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Long work (import, export) on its own virtual thread, with progress in bytes, cancel and a final
 * state. Progress goes to the live stream at most every {@link #PROGRESS_EVERY_MS} (a copy reports
 * every MiB); the newest {@link #KEEP_FINISHED} finished jobs stay listed.
 */
final class Jobs implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Jobs.class);
    static final long PROGRESS_EVERY_MS = 250;
    static final int KEEP_FINISHED = 100;

    /** The work: copies, reporting through {@code progress}; returns the final message. */
    @FunctionalInterface
    interface Work {
        String run(VolumeStore.CopyProgress progress) throws Exception;
    }

    private final ChangePublisher changes;
    /**
     * Ids are unique across runs, not only within one: a client that follows job N of a server that
     * restarted must be told its job is gone, not shown another job N. So each run starts its ids
     * at a random run number times 2^20 (below 2^51: exact in JSON numbers and JavaScript).
     */
    private final AtomicLong ids = new AtomicLong(
            java.util.concurrent.ThreadLocalRandom.current().nextLong(1, 1L << 31) << 20);
    private final Map<Long, Running> jobs = new LinkedHashMap<>();
    /** Set (to why) once the data folder is going away: new jobs are refused, not started to fail later. */
    private String closed;

    Jobs(ChangePublisher changes) {
        this.changes = changes;
    }

    private final class Running implements VolumeStore.CopyProgress {
        volatile Job job;
        volatile boolean cancel;
        /** Why it was cancelled when not by the user (null: by the user). */
        volatile String cancelReason;
        long lastPublished;

        Running(Job job) {
            this.job = job;
        }

        @Override
        public boolean proceed(long done, long total) {
            Job j = job;
            job = new Job(j.id(), j.kind(), j.subject(), j.state(), done, total, j.message(), j.started(), null);
            long now = System.currentTimeMillis();
            if (now - lastPublished >= PROGRESS_EVERY_MS) {
                lastPublished = now;
                changes.publish(ChangeType.JOB_PROGRESS, String.valueOf(j.id()), job);
            }
            return !cancel;
        }

        void finish(Job.State state, String message) {
            Job j = job;
            job = new Job(j.id(), j.kind(), j.subject(), state, j.bytesDone(), j.bytesTotal(), message, j.started(),
                    Instant.now());
            synchronized (this) {
                notifyAll();
            }
            changes.publish(ChangeType.JOB_FINISHED, String.valueOf(j.id()), job);
        }
    }

    /** @param bytesTotal what the work will copy, as far as known now (0: unknown) */
    Job start(Job.Kind kind, String subject, long bytesTotal, Work work) {
        Running r = new Running(new Job(ids.incrementAndGet(), kind, subject, Job.State.RUNNING, 0, bytesTotal, null,
                Instant.now(), null));
        synchronized (jobs) {
            if (closed != null) throw new IllegalStateException(closed);
            jobs.put(r.job.id(), r);
            prune();
        }
        Job initial = r.job;
        changes.publish(ChangeType.JOB_PROGRESS, String.valueOf(initial.id()), initial);
        Thread.ofVirtual().name("job-" + initial.id()).start(() -> {
            try {
                String message = work.run(r);
                r.finish(Job.State.SUCCEEDED, message);
            } catch (CancellationException e) {
                String why = r.cancelReason;
                r.finish(Job.State.CANCELLED, why == null ? "cancelled; nothing was kept" : why + "; nothing was kept");
            } catch (Throwable e) {
                if (r.cancelReason != null) {
                    // stopped for a reason (the data folder went away mid-copy), so its store failed under it:
                    // the copy removed its part file as on any failure, and the reason is what the user can act on
                    r.finish(Job.State.CANCELLED, r.cancelReason + "; nothing was kept");
                    return;
                }
                // an Error too: a job left RUNNING would keep every follower waiting forever
                log.warn("{} {} failed: {}", kind, subject, e.toString());
                r.finish(Job.State.FAILED, e.getMessage() == null ? e.toString() : e.getMessage());
            }
        });
        return initial;
    }

    Job get(long id) {
        return require(id).job;
    }

    List<Job> list() {
        synchronized (jobs) {
            List<Job> out = new ArrayList<>();
            for (Running r : jobs.values()) out.add(r.job);
            return out;
        }
    }

    Job cancel(long id) {
        Running r = require(id);
        r.cancel = true;
        return r.job;
    }

    /** Waits until the job ends and returns it. */
    Job await(long id) {
        Running r = require(id);
        synchronized (r) {
            while (!r.job.ended()) {
                try {
                    r.wait(1000);
                } catch (InterruptedException e) {
                    r.cancel = true;
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for job " + id, e);
                }
            }
        }
        return r.job;
    }

    private Running require(long id) {
        synchronized (jobs) {
            Running r = jobs.get(id);
            if (r == null) throw new IllegalArgumentException("no job with id " + id);
            return r;
        }
    }

    private void prune() {
        long finished = jobs.values().stream().filter(r -> r.job.ended()).count();
        var it = jobs.values().iterator();
        while (finished > KEEP_FINISHED && it.hasNext()) {
            if (it.next().job.ended()) {
                it.remove();
                finished--;
            }
        }
    }

    /** How long {@link #awaitAll} waits at most for cancelled copies to clean up. */
    static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);

    /**
     * Cancels every running job, saying {@code why} in its final message, and refuses new ones
     * (saying {@code why}) from now on.
     */
    void cancelAll(String why) {
        synchronized (jobs) {
            if (closed == null) closed = why;
            for (Running r : jobs.values()) {
                if (r.job.ended()) continue;
                r.cancelReason = why;
                r.cancel = true;
            }
        }
    }

    /** Waits up to {@code max} for every job to end; true when all did. */
    boolean awaitAll(java.time.Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        List<Running> running;
        synchronized (jobs) {
            running = new ArrayList<>(jobs.values());
        }
        for (Running r : running) {
            synchronized (r) {
                while (!r.job.ended()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return false;
                    try {
                        r.wait(Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(left)));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * Cancels what runs and waits (up to {@link #CLOSE_WAIT}) until the copies stopped and removed
     * their part files: the database closes after this, and the process may exit.
     */
    @Override
    public void close() {
        cancelAll("stopped: the server or command running it closed the data folder");
        if (!awaitAll(CLOSE_WAIT)) log.warn("jobs still running after {} s: stopping anyway", CLOSE_WAIT.toSeconds());
    }
}
