package org.netroot.server.scsi;

/**
 * The commands running on one unit, for a barrier that waits for those running when it was raised
 * (PREEMPT AND ABORT: the preempted sessions' started commands end before its status; a LOGICAL UNIT
 * RESET: every session's, before its answer). A command never waits here, not even while a barrier
 * does: commands run inline on network threads that serve other volumes too, which must not stall
 * behind a long SYNCHRONIZE CACHE of this one. Each command enters the current epoch; a barrier opens
 * a new one and waits until the old one has emptied (as Linux's percpu-rwsem, on one monitor: the
 * commands of a volume are few at a time).
 */
final class RunningCommands {
    private final Object monitor = new Object();
    /** One barrier at a time: each waits for the epoch before its own, and two epochs are counted. */
    private final Object barriers = new Object();
    private int epoch;                          // guarded by monitor
    private final int[] running = new int[2];   // by epoch parity, guarded by monitor
    private boolean barrierWaiting;             // guarded by monitor

    /** A command starts; pass what this returns to {@link #exit}. */
    int enter() {
        synchronized (monitor) {
            running[epoch & 1]++;
            return epoch;
        }
    }

    /** The command that entered with {@code entered} ended. */
    void exit(int entered) {
        synchronized (monitor) {
            if (--running[entered & 1] == 0 && barrierWaiting) monitor.notifyAll();
        }
    }

    /** Waits until every command running now has ended; commands that start meanwhile are not waited for. */
    void awaitRunning() {
        synchronized (barriers) {
            synchronized (monitor) {
                int old = epoch++ & 1;
                barrierWaiting = true;
                boolean interrupted = false;
                try {
                    while (running[old] > 0) {
                        try {
                            monitor.wait();
                        } catch (InterruptedException e) {
                            interrupted = true; // the status still waits for them: the promise is what PREEMPT AND ABORT is for
                        }
                    }
                } finally {
                    barrierWaiting = false;
                    if (interrupted) Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** True while a barrier waits (tests). */
    boolean barrierWaiting() {
        synchronized (monitor) {
            return barrierWaiting;
        }
    }
}
