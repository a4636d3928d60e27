package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.netroot.server.iscsi.IscsiTestCuReport.Outcome;
import org.netroot.server.testing.Processes;

/**
 * libiscsi's conformance suite (iscsi-test-cu), test by test. The whole suite runs with two
 * initiators against a shared volume, as a two-node cluster uses its disk: the second initiator
 * name logs in over a second path (libiscsi's multipath tests) and as the other node of the
 * reservation tests. Each test's outcome must be the expected one: every test that fails is
 * listed with its reason in iscsi/iscsi-test-cu-known-failures.txt, every test libiscsi skips in
 * iscsi/iscsi-test-cu-known-skips.txt; a test that fails or skips unlisted fails this test, and
 * so does a listed one that passes now (the lists only shrink), as does another number of tests.
 */
@Tag("lab")
// longer than the default (junit-platform.properties): the whole iscsi-test-cu suite (under a minute
// on a quiet machine, a few on a busy one: the reset and nexus-loss tests sleep 3 s each)
@Timeout(value = 12, unit = TimeUnit.MINUTES)
class ConformanceTest {
    static final String BOOT_SET = String.join(",",
            "SCSI.TestUnitReady", "SCSI.Inquiry", "SCSI.ReadCapacity10", "SCSI.ReadCapacity16", "SCSI.Read10",
            "SCSI.Read16", "SCSI.Write10", "SCSI.Write16", "SCSI.ModeSense6", "SCSI.Mandatory");
    // libiscsi 1.19 has no REPORT LUNS or SYNCHRONIZE CACHE suites: ScsiCommandsTest covers them on bytes

    /** The tests libiscsi 1.19 (Debian 12's libiscsi-bin) has; another number means another libiscsi. */
    static final int SUITE_SIZE = 615;
    /** Tests that pass (not skipped) today; tgt 1.0.85 passed 442 in the same run, with 156 skipped. */
    static final int PASSED_AT_LEAST = 532;
    static final String SECOND_INITIATOR = "iqn.2026-01.org.netroot:initiator:pc1-node2";

    @TempDir
    Path dir;
    IscsiLab lab;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Processes.has("iscsi-test-cu"), "iscsi-test-cu missing: apt-get install libiscsi-bin");
        lab = new IscsiLab(dir);
    }

    @AfterEach
    void stop() {
        if (lab != null) lab.close();
    }

    record Summary(int total, int ran, int passed, int failed, String output) {
    }

    /** CUnit's own count, the "tests" line of its run summary. */
    static Summary summary(String output, Path log) {
        Matcher m = Pattern.compile("tests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)").matcher(output);
        assertTrue(m.find(), "no CUnit summary in the output (see " + log + "):\n" + tail(output));
        return new Summary(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                Integer.parseInt(m.group(4)), output);
    }

    static Path log(String name, String output) throws Exception {
        Path log = Path.of("target", "iscsi-test-cu-" + name + ".log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, output);
        return log;
    }

    @Test
    void bootSetPasses() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 64L << 20);
        Processes.Combined r = Processes.runCombined(300, "iscsi-test-cu", "-d", "-v", "-i", pc.initiatorIqn(),
                "-t", BOOT_SET, lab.url(pc));
        Path log = log("bootset", r.output());
        List<String> names = IscsiTestCuReport.listTests(BOOT_SET);
        IscsiTestCuReport report = IscsiTestCuReport.parse(r.output(), names);
        assertTrue(names.size() >= 30, "the boot set should run at least 30 tests, ran " + names.size());
        assertEquals(List.of(), report.with(Outcome.FAILED), "see " + log);
        assertEquals(List.of(), report.with(Outcome.SKIPPED), "what firmware, iPXE and Linux send all runs; see " + log);
    }

    /**
     * The whole suite, two initiators, one shared volume (about a minute). The second URL is a
     * second path to the same unit: libiscsi logs in there as the second initiator.
     */
    @Test
    void fullSuiteWithTwoInitiatorsOnASharedVolume() throws Exception {
        Client pc = lab.addSharedClient("pc1", "52:54:00:00:00:01", 64L << 20,
                List.of("iqn.2026-01.org.netroot:initiator:pc1", SECOND_INITIATOR));
        List<String> names = IscsiTestCuReport.listTests();
        assertEquals(SUITE_SIZE, names.size(), "iscsi-test-cu -l: another libiscsi than 1.19? the known lists are for 1.19");
        // below the class @Timeout: on a hang the message names the command
        Processes.Combined r = Processes.runCombined(660, "iscsi-test-cu", "-d", "-v", "-i", pc.initiatorIqn(),
                "-I", SECOND_INITIATOR, lab.url(pc), lab.url(pc));
        Path log = log("all", r.output());
        Summary cunit = summary(r.output(), log);
        IscsiTestCuReport report = IscsiTestCuReport.parse(r.output(), names);
        int passed = report.count(Outcome.PASSED);
        int skipped = report.count(Outcome.SKIPPED);
        int failed = report.count(Outcome.FAILED);
        System.out.printf("iscsi-test-cu full suite, two initiators, shared volume: %d passed, %d skipped, %d failed"
                + " of %d (CUnit: %d passed)%n", passed, skipped, failed, names.size(), cunit.passed());
        assertEquals(SUITE_SIZE, cunit.ran(), "CUnit ran another number of tests; see " + log);
        assertEquals(cunit.failed(), failed, "CUnit and this parse disagree on the failures; see " + log);

        List<String> wrong = new ArrayList<>();
        Map<String, String> knownFailures = IscsiTestCuReport.listed("/iscsi/iscsi-test-cu-known-failures.txt");
        Map<String, String> knownSkips = IscsiTestCuReport.listed("/iscsi/iscsi-test-cu-known-skips.txt");
        wrong.addAll(report.disagreements(Outcome.FAILED, knownFailures, "iscsi-test-cu-known-failures.txt"));
        wrong.addAll(report.disagreements(Outcome.SKIPPED, knownSkips, "iscsi-test-cu-known-skips.txt"));
        assertTrue(wrong.isEmpty(), wrong.size() + " tests are not as listed (see " + log + "):\n" + String.join("\n", wrong));
        assertTrue(passed >= PASSED_AT_LEAST, passed + " tests passed, fewer than " + PASSED_AT_LEAST);
        // CUnit's own "passed" counts skipped tests as passed (609 here); issue 13 counts skips apart, so
        // this test holds the real passes and the exact lists of failures and skips, not CUnit's figure
    }

    /**
     * A two-node cluster as Netroot clients: each node its own target, both LUN 0 the same shared
     * volume. libiscsi's reservation and multipath tests, one node on each target, find one
     * logical unit: a reservation taken through one target holds through the other.
     */
    @Test
    void reservationsHoldAcrossTheTwoTargetsOfAClusterDisk() throws Exception {
        lab.volumes.create("quorum", 64L << 20, "raw");
        lab.volumes.share("quorum", true);
        Client node1 = Client.sanboot("node1", "52:54:00:00:00:01", "quorum");
        // libiscsi first checks every path under the first initiator's name: node2's target lets node1 in too
        Client node2 = Client.sanboot("node2", "52:54:00:00:00:02", "quorum")
                .withInitiatorIqns(List.of("iqn.2026-01.org.netroot:initiator:node2", node1.initiatorIqn()));
        lab.clients.add(node1);
        lab.clients.add(node2);
        String suites = "ALL.ProutReserve,ALL.ProutPreempt,ALL.MultipathIO";
        Processes.Combined r = Processes.runCombined(300, "iscsi-test-cu", "-d", "-v", "-i", node1.initiatorIqn(),
                "-I", node2.initiatorIqn(), "-t", suites, lab.url(node1), lab.url(node2));
        Path log = log("cluster", r.output());
        IscsiTestCuReport report = IscsiTestCuReport.parse(r.output(), IscsiTestCuReport.listTests(suites));
        assertEquals(List.of(), report.with(Outcome.FAILED), "see " + log);
        assertEquals(List.of(), report.with(Outcome.SKIPPED), "see " + log);
        assertTrue(report.count(Outcome.PASSED) >= 17, report.results().keySet() + "; see " + log);
    }

    /** The suite the shared volume skips (it is writable) runs against a golden image, which is served read-only. */
    @Test
    void readOnlySuitePassesOnAGoldenImage() throws Exception {
        lab.volumes.create("golden", 64L << 20, "raw");
        lab.volumes.makeGolden("golden");
        Client pc = Client.sanboot("ro", "52:54:00:00:00:02", "golden");
        lab.clients.add(pc);
        Processes.Combined r = Processes.runCombined(120, "iscsi-test-cu", "-d", "-v", "-i", pc.initiatorIqn(),
                "-t", "SCSI.ReadOnly", lab.url(pc));
        Path log = log("readonly", r.output());
        List<String> names = IscsiTestCuReport.listTests("SCSI.ReadOnly");
        IscsiTestCuReport report = IscsiTestCuReport.parse(r.output(), names);
        assertEquals(names.size(), report.count(Outcome.PASSED), report.results() + "; see " + log);
    }

    static String tail(String s) {
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }
}
