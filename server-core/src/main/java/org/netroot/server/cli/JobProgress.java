package org.netroot.server.cli;

import java.io.PrintStream;
import org.netroot.server.api.Job;
import org.netroot.server.api.NetrootControl;

/**
 * Waits for a job, showing its progress: a bar redrawn in place on a terminal, a plain line
 * every few seconds otherwise (logs, pipes). Ctrl-C cancels the job (the server removes what it
 * left half done) and waits for it to say so.
 */
final class JobProgress {
    private static final int BAR = 30;
    private static final long LINE_EVERY_MS = 5_000;

    private JobProgress() {
    }

    static Job follow(NetrootControl c, Job job, PrintStream out, boolean terminal) {
        Thread cancelOnCtrlC = new Thread(() -> {
            try {
                c.cancelJob(job.id());
                Job j = job;
                for (int i = 0; i < 100 && !j.ended(); i++) {
                    Thread.sleep(100);
                    j = c.job(job.id());
                }
            } catch (Exception ignored) {
                // the server went away: nothing more to cancel
            }
        });
        Runtime.getRuntime().addShutdownHook(cancelOnCtrlC);
        try {
            Job j = job;
            long lastLine = 0;
            while (!j.ended()) {
                long now = System.currentTimeMillis();
                if (terminal) {
                    out.print("\r" + line(j));
                    out.flush();
                } else if (now - lastLine >= LINE_EVERY_MS) {
                    out.println(line(j));
                    lastLine = now;
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                j = current(c, j);
            }
            if (terminal) out.print("\r" + line(j) + "\n");
            else out.println(line(j));
            return j;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(cancelOnCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running
            }
        }
    }

    /**
     * The job as the server knows it now. Job ids are unique across server runs, so a server that
     * does not know the id restarted (or was replaced) meanwhile, and the job went with it.
     */
    private static Job current(NetrootControl c, Job j) {
        try {
            return c.job(j.id());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the server restarted; the job was lost (" + j.kind().name().toLowerCase()
                    + " " + j.subject() + "): check with `netroot volume list`, then run the command again", e);
        }
    }

    /** "[#####-----]  42%  1.2 GiB of 2.8 GiB  import win11" */
    static String line(Job j) {
        int pct = j.bytesTotal() <= 0 ? (j.state() == Job.State.SUCCEEDED ? 100 : 0)
                : (int) Math.min(100, j.bytesDone() * 100 / j.bytesTotal());
        int filled = pct * BAR / 100;
        return "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + String.format("%3d%%", pct) + "  "
                + Sizes.human(j.bytesDone()) + " of " + Sizes.human(j.bytesTotal()) + "  "
                + j.kind().name().toLowerCase().replace('_', ' ') + " " + j.subject()
                + (j.ended() ? "  " + j.state().name().toLowerCase() : "");
    }
}
