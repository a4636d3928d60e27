package org.netroot.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.Job;
import org.netroot.server.runtime.LocalControl;

/** Following a job whose server restarted (two runs: two data folders opened one after the other). */
class JobProgressTest {
    @TempDir Path tmp;

    @Test
    void aJobTheServerNoLongerKnowsIsReportedLostNotConfusedWithAnotherRunsJob() throws Exception {
        // before: ids restarted at 1 each run, so the client followed the new run's job 1 to its end
        try (LocalControl before = LocalControl.openOffline(tmp.resolve("a"));
             LocalControl after = LocalControl.openOffline(tmp.resolve("b"))) {
            before.createVolume("mine", 1 << 20);
            after.createVolume("someone-elses", 1 << 20);
            Job lost = before.startExport("mine", tmp.resolve("mine.img").toString());
            Job other = after.startExport("someone-elses", tmp.resolve("other.img").toString());
            assertNotEquals(lost.id(), other.id(), "job ids are unique across runs");
            assertEquals(Job.State.RUNNING, lost.state());

            PrintStream out = new PrintStream(new ByteArrayOutputStream());
            var e = assertThrows(IllegalStateException.class, () -> JobProgress.follow(after, lost, out, false));
            assertTrue(e.getMessage().startsWith("the server restarted; the job was lost (export mine)"), e.getMessage());
        }
    }
}
