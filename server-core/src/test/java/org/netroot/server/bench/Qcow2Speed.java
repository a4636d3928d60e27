package org.netroot.server.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.RawFileBlockDevice;
import org.netroot.server.storage.qcow2.BackingFile;
import org.netroot.server.storage.qcow2.Qcow2BlockDevice;

/**
 * qcow2 overlay speed against a raw file (not a unit test; issue 12's targets): 4 KiB random writes
 * to a fresh overlay over a raw golden image vs the same writes to a raw file through FileChannel
 * (1 and 8 threads, 20,000 writes in 1 GiB, flushed at the end), and 4 KiB random reads and 1 MiB
 * sequential reads of an overlay over untouched golden data vs the golden file itself. Page cache
 * warm for reads; each number is the best of three runs.
 *
 * <p>Run: {@code java -cp server-core/target/classes:server-core/target/test-classes:DEPS
 * org.netroot.server.bench.Qcow2Speed [DIR]} (DIR needs about 2.2 GiB free).
 */
public final class Qcow2Speed {
    static final long SPAN = 1L << 30;
    static final int WRITES = 20_000;
    static final int BLOCK = 4096;

    private Qcow2Speed() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("qcow2-speed");
        Files.createDirectories(dir);
        Path golden = dir.resolve("golden.raw");
        try (RandomAccessFile f = new RandomAccessFile(golden.toFile(), "rw")) {
            byte[] chunk = new byte[1 << 20];
            Random r = new Random(1);
            for (long off = 0; off < SPAN; off += chunk.length) {
                r.nextBytes(chunk);
                f.write(chunk);
            }
        }
        long[] offsets = new long[WRITES];
        Random r = new Random(2);
        for (int i = 0; i < WRITES; i++) offsets[i] = r.nextLong(SPAN / BLOCK) * BLOCK;
        List<String> lines = new ArrayList<>();
        for (int threads : new int[] {1, 8}) {
            double raw = best(() -> {
                Path p = dir.resolve("target.raw");
                Files.deleteIfExists(p);
                try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
                    f.setLength(SPAN);
                }
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    return writes(threads, offsets, (off, b) -> {
                        while (b.hasRemaining()) off += ch.write(b, off);
                    }, () -> ch.force(false));
                }
            });
            double qcow2 = best(() -> {
                Path p = dir.resolve("overlay.qcow2");
                Files.deleteIfExists(p);
                Qcow2BlockDevice.create(p, SPAN, Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)));
                try (Qcow2BlockDevice d = Qcow2BlockDevice.open(p, false)) {
                    return writes(threads, offsets, d::write, d::flush);
                }
            });
            lines.add(String.format(Locale.ROOT, "4 KiB random writes, %d thread%s: raw %.0f/s, overlay %.0f/s, ratio %.2f (final flush: %.0f%% of the overlay's last run)",
                    threads, threads == 1 ? "" : "s", raw, qcow2, qcow2 / raw, 100 * lastFlushShare));
        }
        Path overlay = dir.resolve("overlay.qcow2");
        Files.deleteIfExists(overlay);
        Qcow2BlockDevice.create(overlay, SPAN, Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)));
        try (BlockDevice raw = RawFileBlockDevice.open(golden, true); BlockDevice q = Qcow2BlockDevice.open(overlay, true)) {
            sequential(raw); // the page cache holds the golden image for both
            double rawRandom = best(() -> randomReads(raw, offsets));
            double qRandom = best(() -> randomReads(q, offsets));
            lines.add(String.format(Locale.ROOT, "4 KiB random reads: raw %.0f/s, overlay %.0f/s, ratio %.2f", rawRandom, qRandom, qRandom / rawRandom));
            double rawSeq = best(() -> sequential(raw));
            double qSeq = best(() -> sequential(q));
            lines.add(String.format(Locale.ROOT, "1 MiB sequential reads: raw %.0f MiB/s, overlay %.0f MiB/s, ratio %.2f", rawSeq, qSeq, qSeq / rawSeq));
        }
        lines.forEach(System.out::println);
        for (String name : new String[] {"golden.raw", "target.raw", "overlay.qcow2"}) Files.deleteIfExists(dir.resolve(name));
    }

    interface Writer {
        void write(long offset, ByteBuffer b) throws IOException;
    }

    interface Flush {
        void flush() throws IOException;
    }

    interface Run {
        double run() throws Exception;
    }

    /** Of the last write run's time, the share its final flush took. */
    static double lastFlushShare;

    static double best(Run run) throws Exception {
        double best = 0;
        for (int i = 0; i < 3; i++) best = Math.max(best, run.run());
        return best;
    }

    /** Writes per second, the final flush included. */
    static double writes(int threads, long[] offsets, Writer w, Flush flush) throws Exception {
        long start = System.nanoTime();
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t;
                done.add(pool.submit(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(BLOCK);
                    for (int i = first; i < offsets.length; i += threads) {
                        b.clear();
                        b.putLong(0, i + 1);
                        w.write(offsets[i], b);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) f.get();
        }
        long written = System.nanoTime();
        flush.flush();
        long end = System.nanoTime();
        lastFlushShare = (end - written) / (double) (end - start);
        return offsets.length / ((end - start) / 1e9);
    }

    static double randomReads(BlockDevice d, long[] offsets) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(BLOCK);
        long start = System.nanoTime();
        for (long off : offsets) {
            b.clear();
            d.read(off, b);
        }
        return offsets.length / ((System.nanoTime() - start) / 1e9);
    }

    /** MiB per second. */
    static double sequential(BlockDevice d) throws IOException {
        ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
        long start = System.nanoTime();
        for (long off = 0; off < SPAN; off += b.capacity()) {
            b.clear();
            d.read(off, b);
        }
        return (SPAN >> 20) / ((System.nanoTime() - start) / 1e9);
    }
}
