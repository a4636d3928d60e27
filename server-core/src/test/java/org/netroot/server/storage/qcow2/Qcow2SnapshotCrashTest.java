package org.netroot.server.storage.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.testing.Processes;

/**
 * A child JVM taking and removing snapshots in a loop is killed with SIGKILL at different points:
 * qemu-img check finds no corruption (exit 0, or 3 for leaks), Netroot's open repairs the image,
 * and every snapshot left holds exactly what was written before it was taken.
 */
class Qcow2SnapshotCrashTest {
    @TempDir Path dir;

    @BeforeAll
    static void needsQemuImg() {
        QemuImg.assumePresent();
    }

    @Test
    void killedDuringSnapshotOperationsLeavesOnlyLeaksAndWholeSnapshots() throws Exception {
        List<String> report = new ArrayList<>();
        int[] killAfterSteps = {4, 17, 40, 75};
        for (int round = 0; round < killAfterSteps.length; round++) {
            Path image = dir.resolve("round" + round + ".qcow2");
            ClusterLayout layout = round % 2 == 0 ? ClusterLayout.EXTENDED : ClusterLayout.STANDARD; // both layouts, two kill points each
            Qcow2BlockDevice.create(image, 64L << 20, Optional.empty(), layout);
            int steps = runAndKill(image, killAfterSteps[round]);
            var check = QemuImg.run("check", image.toString());
            assertTrue(check.exitCode() == 0 || check.exitCode() == 3, "round " + round + " (killed after step " + steps + "): only leaks may remain (exit 0 or 3): " + check.all());
            List<SnapshotInfo> left;
            try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) { // repairs
                left = d.snapshots();
            }
            QemuImg.checkClean(image);
            assertTrue(left.size() <= 3 && !left.isEmpty(), "round " + round + ": snapshots left " + left);
            for (SnapshotInfo s : left) assertHoldsSlotsUpTo(image, s.name(), Integer.parseInt(s.name().substring(1)));
            report.add(layout + " killed after step " + steps + ": check exit " + check.exitCode() + ", snapshots " + left.stream().map(SnapshotInfo::name).toList());
        }
        System.out.println("snapshot crash test: " + String.join("; ", report));
    }

    /** Snapshot "s" + k holds slots 0..k as written, and slot k + 1 was not written yet. */
    void assertHoldsSlotsUpTo(Path image, String snapshot, int k) throws Exception {
        Path raw = dir.resolve(snapshot + ".raw");
        Files.deleteIfExists(raw);
        QemuImg.ok("convert", "-O", "raw", "-l", "snapshot.name=" + snapshot, image.toString(), raw.toString());
        try (RandomAccessFile f = new RandomAccessFile(raw.toFile(), "r")) {
            for (int i = 0; i <= k + 1; i++) {
                byte[] got = new byte[Qcow2CrashWriter.slotLength(i)];
                f.seek(Qcow2CrashWriter.slotOffset(i));
                f.readFully(got);
                byte[] want = i <= k ? Qcow2QemuInteropTest.pattern(got.length, i) : new byte[got.length];
                assertArrayEquals(want, got, "snapshot " + snapshot + ", slot " + i);
            }
        }
    }

    /** Starts the writer, kills it (SIGKILL) once it has reported {@code steps} steps; returns the steps it reported. */
    int runAndKill(Path image, int steps) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Qcow2SnapshotCrashWriter.class.getName(), image.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process child = Processes.start(60, pb);
        AtomicInteger done = new AtomicInteger();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("step ")) done.set(Integer.parseInt(line.substring(5)));
                }
            } catch (Exception ignored) {
                // the pipe closes when the child is killed
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (done.get() < steps && System.nanoTime() < deadline && child.isAlive()) LockSupport.parkNanos(100_000);
        assertTrue(child.isAlive(), "the writer was still at work when killed");
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        reader.join(5000);
        assertTrue(done.get() >= steps, "steps before the kill: " + done.get());
        return done.get();
    }
}
