package org.netroot.server.storage.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.netroot.server.testing.Processes;

/** A writer killed with SIGKILL mid-load leaves an image with leaks at worst, and every flushed write. */
class Qcow2CrashTest {
    @TempDir Path dir;

    @BeforeAll
    static void needsQemuImg() {
        QemuImg.assumePresent();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void killedWriterLeavesOnlyLeaksAndEveryFlushedWrite(ClusterLayout layout) throws Exception {
        Path golden = dir.resolve("golden.raw");
        try (RandomAccessFile f = new RandomAccessFile(golden.toFile(), "rw")) {
            f.write(Qcow2QemuInteropTest.pattern(64 << 20, 99)); // data the partial-cluster writes must copy
        }
        Path image = dir.resolve("overlay.qcow2");
        Qcow2BlockDevice.create(image, 1L << 30, Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)), layout);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), Qcow2CrashWriter.class.getName(), image.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Process child = Processes.start(60, pb);
        AtomicInteger flushed = new AtomicInteger();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith("flushed ")) flushed.set(Integer.parseInt(line.substring(8)));
                }
            } catch (Exception ignored) {
                // the pipe closes when the child is killed
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (flushed.get() < 600 && System.nanoTime() < deadline && child.isAlive()) Thread.sleep(5);
        assertTrue(child.isAlive(), "the writer was still writing when killed");
        child.destroyForcibly(); // SIGKILL: no shutdown hook, no close
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        reader.join(5000);
        int durable = flushed.get();
        assertTrue(durable >= 600, "writes flushed before the kill: " + durable);

        var check = QemuImg.run("check", image.toString());
        assertTrue(check.exitCode() == 0 || check.exitCode() == 3, "only leaks may remain (exit 0 or 3): " + check.all());

        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) { // repairs the leaks
            for (int i = 0; i < durable; i++) {
                byte[] got = Qcow2QemuInteropTest.read(d, Qcow2CrashWriter.slotOffset(i), Qcow2CrashWriter.slotLength(i));
                assertArrayEquals(Qcow2QemuInteropTest.pattern(Qcow2CrashWriter.slotLength(i), i), got, "flushed write " + i);
            }
        }
        QemuImg.checkClean(image);
        System.out.println("crash test: " + durable + " flushed writes before SIGKILL; qemu-img check before repair exit "
                + check.exitCode() + ": " + check.stdout().lines().filter(l -> l.contains("leaked")).findFirst().orElse("no leaks"));
        assertEquals(0, QemuImg.run("check", image.toString()).exitCode());
    }

    /** The same repair, made certain: leaked clusters in an image left dirty are found and given back. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("org.netroot.server.storage.qcow2.Layouts#both")
    void leakedClustersOfADirtyImageAreRepairedOnOpen(ClusterLayout layout) throws Exception {
        Path image = dir.resolve("leaky.qcow2");
        Qcow2BlockDevice.create(image, 64L << 20, Optional.empty(), layout);
        int cluster = layout.clusterSize();
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            d.write(12345, java.nio.ByteBuffer.wrap(Qcow2QemuInteropTest.pattern(300_000, 1)));
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(image,
                java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
            HostFile host = new HostFile(ch);
            Qcow2Header h = Qcow2Header.decode(host.readBytes(0, cluster), ch.size());
            ClusterAllocator alloc = new ClusterAllocator(host, null, h, 4, (offset, clusters) -> { });
            for (int i = 0; i < 3; i++) { // what a kill between "refcount raised" and "L2 entry set" leaves
                long c = alloc.allocate();
                host.write(c * cluster, new byte[cluster]);
                alloc.increment(c);
            }
            host.writeLong(Qcow2Header.OFFSET_INCOMPATIBLE, h.incompatibleFeatures() | Qcow2Header.INCOMPAT_DIRTY); // not closed cleanly
        }
        var leaky = QemuImg.run("check", image.toString());
        assertEquals(3, leaky.exitCode(), "qemu-img sees the leaks: " + leaky.all());
        assertTrue(leaky.stdout().contains("3 leaked clusters"), leaky.stdout());
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            assertArrayEquals(Qcow2QemuInteropTest.pattern(300_000, 1), Qcow2QemuInteropTest.read(d, 12345, 300_000));
        }
        QemuImg.checkClean(image);
    }
}
