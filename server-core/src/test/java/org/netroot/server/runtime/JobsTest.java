package org.netroot.server.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.netroot.server.api.Job;
import org.netroot.server.events.ChangePublisher;

/** Jobs end in a final state whatever their work throws, and closing waits for them to stop. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class JobsTest {
    @Test
    void anErrorInTheWorkEndsTheJobFailedNotRunningForever() {
        // before: only Exception was caught, so the job stayed RUNNING and await() never returned
        Jobs jobs = new Jobs(ChangePublisher.NONE);
        Job j = jobs.start(Job.Kind.IMPORT, "v", 0, progress -> {
            throw new OutOfMemoryError("Java heap space");
        });
        Job done = jobs.await(j.id());
        assertEquals(Job.State.FAILED, done.state());
        assertEquals("Java heap space", done.message());
    }

    @Test
    void closeCancelsAndWaitsUntilTheCopiesStopped() throws Exception {
        // before: close() only set the cancel flags and returned while the copy still ran
        Jobs jobs = new Jobs(ChangePublisher.NONE);
        CountDownLatch running = new CountDownLatch(1);
        Job j = jobs.start(Job.Kind.EXPORT, "v", 100, progress -> {
            running.countDown();
            long done = 0;
            while (progress.proceed(done, 100)) Thread.sleep(20);
            Thread.sleep(500); // removing the part file takes a while
            throw new java.util.concurrent.CancellationException("copy cancelled");
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        long start = System.nanoTime();
        jobs.close();
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(400).toNanos(), "close waited for the copy");
        Job after = jobs.get(j.id());
        assertEquals(Job.State.CANCELLED, after.state());
        assertTrue(after.message().contains("nothing was kept"), after.message());
    }

    @Test
    void onceCancelledForAReasonNewJobsAreRefusedWithIt() {
        // before: a job started after the yield copied everything, then failed on the closed database
        Jobs jobs = new Jobs(ChangePublisher.NONE);
        jobs.cancelAll("a server started: run the command again");
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> jobs.start(Job.Kind.IMPORT, "v", 0, progress -> "copied"));
        assertEquals("a server started: run the command again", e.getMessage());
        assertTrue(jobs.list().isEmpty(), "nothing was started");
    }

    @Test
    void aCopyThatFailsAfterItWasCancelledForAReasonEndsCancelledWithThatReason() throws Exception {
        // before: it ended FAILED with H2's "database is closed" (the yield closes the database under it)
        Jobs jobs = new Jobs(ChangePublisher.NONE);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch cancelled = new CountDownLatch(1);
        Job j = jobs.start(Job.Kind.IMPORT, "v", 100, progress -> {
            running.countDown();
            cancelled.await(); // in its final force(): cancel is not looked at
            throw new IllegalStateException("Database is already closed");
        });
        assertTrue(running.await(10, TimeUnit.SECONDS));
        jobs.cancelAll("a server started");
        cancelled.countDown();
        Job done = jobs.await(j.id());
        assertEquals(Job.State.CANCELLED, done.state());
        assertEquals("a server started; nothing was kept", done.message());
    }
}
