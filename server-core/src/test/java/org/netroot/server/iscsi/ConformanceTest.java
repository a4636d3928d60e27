package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.Client;
import org.netroot.server.testing.Processes;

/**
 * libiscsi's conformance suite (iscsi-test-cu). The boot set (what firmware, iPXE and Linux need)
 * must pass; the full suite must not fall below this release's count.
 */
@Tag("lab")
// longer than the default (junit-platform.properties): the whole iscsi-test-cu suite (about 30 s on a quiet machine, minutes on a busy one)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConformanceTest {
    static final String BOOT_SET = String.join(",",
            "SCSI.TestUnitReady", "SCSI.Inquiry", "SCSI.ReadCapacity10", "SCSI.ReadCapacity16", "SCSI.Read10",
            "SCSI.Read16", "SCSI.Write10", "SCSI.Write16", "SCSI.ModeSense6", "SCSI.Mandatory");
    // libiscsi 1.19 has no REPORT LUNS or SYNCHRONIZE CACHE suites: ScsiCommandsTest covers them on bytes

    @TempDir
    Path dir;
    IscsiLab lab;
    Client pc;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Processes.has("iscsi-test-cu"), "iscsi-test-cu missing: apt-get install libiscsi-bin");
        lab = new IscsiLab(dir);
        pc = lab.addClient("pc1", "52:54:00:00:00:01", 64L << 20);
    }

    @AfterEach
    void stop() {
        if (lab != null) lab.close();
    }

    record Summary(int total, int ran, int passed, int failed, String output) {
    }

    Summary run(String tests, long timeoutSeconds) throws Exception {
        Processes.Combined r = tests == null
                ? Processes.runCombined(timeoutSeconds, "iscsi-test-cu", "-d", "-n", "-i", pc.initiatorIqn(), lab.url(pc))
                : Processes.runCombined(timeoutSeconds, "iscsi-test-cu", "-d", "-n", "-i", pc.initiatorIqn(), "-t", tests, lab.url(pc));
        Path log = Path.of("target", "iscsi-test-cu-" + (tests == null ? "all" : "bootset") + ".log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, r.output());
        Matcher m = Pattern.compile("tests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)").matcher(r.output());
        assertTrue(m.find(), "no CUnit summary in the output (see " + log + "):\n" + tail(r.output()));
        return new Summary(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), r.output());
    }

    @Test
    void bootSetPasses() throws Exception {
        Summary s = run(BOOT_SET, 300);
        assertTrue(s.ran() >= 30, "the boot set should run at least 30 tests, ran " + s.ran() + "\n" + tail(s.output()));
        assertEquals(0, s.failed(), failures(s.output()));
    }

    /**
     * The whole libiscsi suite (about 30 s). It may not fall below today's count: 589 of 615. The 26
     * known failures: 24 ProutReserve tests (persistent reservations, the next issue; they log in
     * with a second initiator name the ACL refuses) and 2 AbortTaskSimpleAsync (we answer "function
     * complete" for a task that already finished). tgt passes 598 here.
     */
    @Test
    void fullSuiteDoesNotRegress() throws Exception {
        Summary s = run(null, 540); // below the class @Timeout: on a hang the message names the command
        System.out.printf("iscsi-test-cu full suite: %d of %d ran tests passed (%d failed, %d in the suite)%n",
                s.passed(), s.ran(), s.failed(), s.total());
        assertTrue(s.passed() >= 589, "iscsi-test-cu passed " + s.passed() + " of " + s.ran()
                + ", fewer than the 589 of this release\n" + failures(s.output()));
    }

    static String failures(String output) {
        StringBuilder sb = new StringBuilder();
        for (String line : output.split("\n")) {
            if (line.contains("FAILED") || line.contains("Failed") || line.contains("[FAIL")) sb.append(line).append('\n');
        }
        return sb.length() == 0 ? tail(output) : sb.toString();
    }

    static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
