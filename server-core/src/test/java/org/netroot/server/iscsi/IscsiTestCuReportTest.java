package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.netroot.server.iscsi.IscsiTestCuReport.Outcome;

/** The parse of iscsi-test-cu's verbose output, on text as libiscsi 1.19 prints it (no target needed). */
class IscsiTestCuReportTest {
    static final String OUTPUT = String.join("\n",
            "    [SKIPPED] PERSISTENT RESERVE IN is not implemented.",
            "",
            "     CUnit - A unit testing framework for C - Version 2.1-3",
            "",
            "Suite: CompareAndWrite",
            "  Test: Simple ...passed",
            "  Test: Unwritten ...    [SKIPPED] COMPAREANDWRITE is not implemented.",
            "passed    [SKIPPED] PERSISTENT RESERVE IN is not implemented.",
            "",
            "Suite: iSCSIdatasn",
            "  Test: iSCSIDataSnInvalid ...    [FAILED] WRITE10 command failed with status 2 / sense key COMMAND ABORTED(0x0b)",
            "    [FAILED] WRITE10 command failed with status 2 / sense key COMMAND ABORTED(0x0b)",
            "passed",
            "Suite: GetLBAStatus",
            "  Test: UnmapSingle ...FAILED",
            "    1. test_get_lba_status_unmap_single.c:135  - CU_FAIL(\"[FAILED] GETLBASTATUS command: lba offset\")",
            "  Test: Simple ...passed",
            "",
            "Run Summary:    Type  Total    Ran Passed Failed Inactive",
            "               tests      4      4      3      1        0");
    static final List<String> NAMES = List.of("ALL.CompareAndWrite.Simple", "ALL.CompareAndWrite.Unwritten",
            "iSCSI.iSCSIdatasn.iSCSIDataSnInvalid", "ALL.GetLBAStatus.UnmapSingle", "LINUX.GetLBAStatus.Simple");

    @Test
    void eachTestGetsItsVerdictAndASkipIsCountedApart() {
        IscsiTestCuReport r = IscsiTestCuReport.parse(OUTPUT, NAMES);
        assertEquals(Outcome.PASSED, r.results().get("ALL.CompareAndWrite.Simple").outcome());
        assertEquals(Outcome.SKIPPED, r.results().get("ALL.CompareAndWrite.Unwritten").outcome());
        assertEquals("[SKIPPED] COMPAREANDWRITE is not implemented.", r.results().get("ALL.CompareAndWrite.Unwritten").detail(),
                "the suite's own skip after the verdict belongs to no test");
        assertEquals(Outcome.PASSED, r.results().get("iSCSI.iSCSIdatasn.iSCSIDataSnInvalid").outcome(),
                "libiscsi's [FAILED] lines inside a passing test are no verdict");
        IscsiTestCuReport.Result failed = r.results().get("ALL.GetLBAStatus.UnmapSingle");
        assertEquals(Outcome.FAILED, failed.outcome());
        assertTrue(failed.detail().contains("test_get_lba_status_unmap_single.c:135"), failed.detail());
        assertEquals(Outcome.PASSED, r.results().get("LINUX.GetLBAStatus.Simple").outcome());
        assertEquals(List.of(3, 1, 1), List.of(r.count(Outcome.PASSED), r.count(Outcome.SKIPPED), r.count(Outcome.FAILED)));
    }

    @Test
    void namesThatDoNotLineUpAreAnError() {
        assertThrows(IllegalArgumentException.class, () -> IscsiTestCuReport.parse(OUTPUT, NAMES.subList(0, 4)));
        assertThrows(IllegalArgumentException.class, () -> IscsiTestCuReport.parse(OUTPUT,
                List.of("ALL.CompareAndWrite.Simple", "ALL.CompareAndWrite.Other", "a.b.c", "a.b.d", "a.b.e")));
    }

    @Test
    void theListsSayWhatToDoWhenATestChanges() {
        IscsiTestCuReport r = IscsiTestCuReport.parse(OUTPUT, NAMES);
        List<String> wrong = r.disagreements(Outcome.FAILED, Map.of("iSCSI.iSCSIdatasn.iSCSIDataSnInvalid", "was broken"),
                "known.txt");
        assertEquals(2, wrong.size(), wrong.toString());
        assertTrue(wrong.get(0).startsWith("iSCSI.iSCSIdatasn.iSCSIDataSnInvalid is listed in known.txt as FAILED but PASSED now:"
                + " take it off the list (it passes)"), wrong.get(0));
        assertTrue(wrong.get(1).startsWith("ALL.GetLBAStatus.UnmapSingle FAILED and is not listed in known.txt"), wrong.get(1));
        assertEquals(List.of(), r.disagreements(Outcome.SKIPPED, Map.of("ALL.CompareAndWrite.Unwritten", "no CAW"), "skips.txt"));
    }

    @Test
    void theShippedListsReadAndGiveEachTestAReason() throws Exception {
        Map<String, String> failures = IscsiTestCuReport.listed("/iscsi/iscsi-test-cu-known-failures.txt");
        Map<String, String> skips = IscsiTestCuReport.listed("/iscsi/iscsi-test-cu-known-skips.txt");
        for (var e : failures.entrySet()) {
            assertEquals(3, e.getKey().split("\\.").length, e.getKey());
            assertTrue(e.getValue().length() > 20, "a reason for " + e.getKey());
            assertTrue(!skips.containsKey(e.getKey()), e.getKey() + " cannot both fail and skip");
        }
        assertEquals(ConformanceTest.PASSED_AT_LEAST, ConformanceTest.SUITE_SIZE - failures.size() - skips.size(),
                "the lists and the pass count agree: what is not listed passes");
    }
}
