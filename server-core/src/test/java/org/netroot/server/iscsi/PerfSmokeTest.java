package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.Client;
import org.netroot.server.testing.Processes;

/**
 * Prints iscsi-perf figures for our target (sequential 128 KiB QD32, random 4 KiB QD32, 512 B QD1).
 * Not a timed assertion: only with -Dnetroot.iscsi.perf=true; the bench/ script compares with tgt.
 */
@Tag("bench")
// longer than the default (junit-platform.properties): iscsi-perf runs of up to 30 s each
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PerfSmokeTest {
    @TempDir
    Path dir;

    @Test
    void iscsiPerf() throws Exception {
        assumeTrue(Boolean.getBoolean("netroot.iscsi.perf"), "only with -Dnetroot.iscsi.perf=true");
        assumeTrue(Processes.has("iscsi-perf"), "iscsi-perf missing: apt-get install libiscsi-bin");
        try (IscsiLab lab = new IscsiLab(dir)) {
            Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 256L << 20);
            String[][] runs = {{"-b", "256", "-m", "32"}, {"-b", "8", "-m", "32", "-r"}, {"-b", "1", "-m", "1", "-r"}};
            for (String[] args : runs) {
                var cmd = new java.util.ArrayList<>(java.util.List.of("iscsi-perf", "-i", pc.initiatorIqn(), "-t", "5"));
                cmd.addAll(java.util.List.of(args));
                cmd.add(lab.url(pc));
                Processes.Combined r = Processes.runCombined(30, cmd.toArray(String[]::new));
                System.out.println(String.join(" ", args) + "\n" + r.output());
                assertEquals(0, r.exit(), r.output());
            }
        }
    }
}
