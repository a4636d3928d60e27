package org.netroot.server.storage.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.netroot.server.testing.RandomInputs;
import org.netroot.server.testing.Tries;

/**
 * Random reads, writes, zero writes, discards, resizes, snapshots (taken, applied, removed) and
 * reopenings of an image, each checked against an in-memory byte model of the disk; at the end
 * qemu-img finds the image clean and equal to the model, and every snapshot equal to the model's
 * copy of it. For both L2 layouts, with and without a backing image, at cluster sizes where
 * boundaries come often. Seeded through {@link Tries}: a failure names the seed that replays it.
 */
class Qcow2ModelTest {
    static final int TRIES = Integer.getInteger("netroot.qcow2ModelTries", 4);

    @TempDir Path dir;

    @BeforeAll
    static void needsQemuImg() {
        QemuImg.assumePresent();
    }

    static Stream<Arguments> layouts() {
        List<Arguments> out = new ArrayList<>();
        for (ClusterLayout layout : List.of(ClusterLayout.STANDARD, ClusterLayout.EXTENDED, ClusterLayout.standard(4096),
                new ClusterLayout(16 << 10, true))) {
            out.add(Arguments.of(layout, false));
            out.add(Arguments.of(layout, true));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}, backing image: {1}")
    @MethodSource("layouts")
    void randomOperationsMatchAModel(ClusterLayout layout, boolean withBacking) {
        String name = "qcow2Model-" + layout.clusterSize() + (layout.extendedL2() ? "-extended" : "-standard") + (withBacking ? "-backing" : "");
        int[] attempt = {0};
        Tries.run(name, TRIES, r -> new Run(layout, withBacking, r, dir.resolve("try-" + attempt[0]++)).go());
    }

    /** One try: its own folder, image, model and snapshots. */
    static final class Run {
        final ClusterLayout layout;
        final Random r;
        final Path folder;
        final Path image;
        final byte[] golden;
        final Map<String, byte[]> snapshots = new LinkedHashMap<>();
        final List<String> log = new ArrayList<>();
        byte[] model;
        Qcow2BlockDevice d;
        int snapshotCounter;

        Run(ClusterLayout layout, boolean withBacking, Random r, Path folder) throws IOException {
            this.layout = layout;
            this.r = r;
            this.folder = Files.createDirectories(folder);
            this.image = folder.resolve("disk.qcow2");
            long size = 512L * RandomInputs.between(r, 2048, 8192); // 1 to 4 MiB
            if (withBacking) { // shorter or longer than the image, or the same
                long goldenSize = RandomInputs.oneOf(r, size / 2, size, size + 150 * 1024);
                golden = new byte[(int) goldenSize];
                r.nextBytes(golden);
                Files.write(folder.resolve("golden.raw"), golden);
            } else {
                golden = null;
            }
            model = new byte[(int) size];
            if (golden != null) System.arraycopy(golden, 0, model, 0, (int) Math.min(size, golden.length));
            Qcow2BlockDevice.create(image, size, withBacking
                    ? Optional.of(new BackingFile("golden.raw", BackingFile.Format.RAW)) : Optional.empty(), layout);
        }

        void go() throws Exception {
            d = Qcow2BlockDevice.open(image, false);
            try {
                int steps = 40 + r.nextInt(60);
                for (int i = 0; i < steps; i++) step();
                assertReads(0, model.length);
            } catch (Throwable t) {
                throw new AssertionError("after " + String.join("; ", log.subList(Math.max(0, log.size() - 12), log.size())), t);
            } finally {
                d.close();
            }
            QemuImg.checkClean(image);
            Path raw = folder.resolve("model.raw");
            Files.write(raw, model);
            QemuImg.assertIdentical(image, raw);
            for (Map.Entry<String, byte[]> s : snapshots.entrySet()) {
                Path out = folder.resolve("snapshot-" + s.getKey() + ".raw");
                QemuImg.ok("convert", "-O", "raw", "-l", "snapshot.name=" + s.getKey(), image.toString(), out.toString());
                byte[] got = Files.readAllBytes(out);
                byte[] want = s.getValue();
                int n = Math.min(want.length, got.length); // qemu-img convert -l keeps the image's current size, not the snapshot's
                assertArrayEquals(Arrays.copyOf(want, n), Arrays.copyOf(got, n), "snapshot " + s.getKey() + " as qemu reads it");
            }
        }

        /** An offset and length in the disk, leaning to subcluster and cluster boundaries. */
        long[] range(int maxLength) {
            int size = model.length;
            int sub = layout.subclusterSize();
            int cluster = layout.clusterSize();
            int length = switch (r.nextInt(6)) {
                case 0 -> sub;
                case 1 -> sub * (1 + r.nextInt(4));
                case 2 -> 1 + r.nextInt(600);
                case 3 -> cluster * (1 + r.nextInt(3));
                default -> 1 + r.nextInt(maxLength);
            };
            length = Math.min(length, size);
            long offset = switch (r.nextInt(5)) {
                case 0 -> (long) r.nextInt(size / sub) * sub; // subcluster-aligned
                case 1 -> Math.max(0, (long) (r.nextInt(size / cluster + 1)) * cluster - r.nextInt(2 * sub)); // just before a cluster boundary
                case 2 -> size - length; // the end
                default -> r.nextInt(size - length + 1);
            };
            offset = Math.min(offset, size - length);
            return new long[] {offset, length};
        }

        void step() throws Exception {
            int op = r.nextInt(100);
            if (op < 35) {
                long[] at = range(300_000);
                byte[] data = new byte[(int) at[1]];
                r.nextBytes(data);
                log.add("write " + at[0] + "+" + at[1]);
                d.write(at[0], ByteBuffer.wrap(data));
                System.arraycopy(data, 0, model, (int) at[0], data.length);
            } else if (op < 45) {
                long[] at = range(200_000);
                log.add("write zeros " + at[0] + "+" + at[1]);
                d.write(at[0], ByteBuffer.allocate((int) at[1]));
                Arrays.fill(model, (int) at[0], (int) (at[0] + at[1]), (byte) 0);
            } else if (op < 60) {
                long[] at = range(500_000);
                log.add("discard " + at[0] + "+" + at[1]);
                d.discard(at[0], at[1]);
                Arrays.fill(model, (int) at[0], (int) (at[0] + at[1]), (byte) 0);
            } else if (op < 78) {
                long[] at = range(400_000);
                log.add("read " + at[0] + "+" + at[1]);
                assertReads(at[0], (int) at[1]);
            } else if (op < 84) {
                String name = "s" + ++snapshotCounter;
                log.add("snapshot " + name);
                d.createSnapshot(name);
                snapshots.put(name, model.clone());
            } else if (op < 88 && !snapshots.isEmpty()) {
                String name = RandomInputs.oneOf(r, new ArrayList<>(snapshots.keySet()));
                log.add("revert to " + name);
                d.revertToSnapshot(name);
                model = snapshots.get(name).clone();
                assertEquals(model.length, d.sizeBytes());
            } else if (op < 91 && !snapshots.isEmpty()) {
                String name = RandomInputs.oneOf(r, new ArrayList<>(snapshots.keySet()));
                log.add("remove snapshot " + name);
                d.deleteSnapshot(name);
                snapshots.remove(name);
            } else if (op < 96) {
                long newSize = 512L * RandomInputs.between(r, 1024, 10240); // 512 KiB to 5 MiB
                log.add("resize to " + newSize);
                d.resize(newSize);
                model = Arrays.copyOf(model, (int) newSize); // grown: zeros, also over a longer backing image
            } else {
                log.add("close and open again");
                d.close();
                d = Qcow2BlockDevice.open(image, false);
            }
        }

        void assertReads(long offset, int length) throws IOException {
            ByteBuffer got = ByteBuffer.allocate(length);
            d.read(offset, got);
            byte[] want = Arrays.copyOfRange(model, (int) offset, (int) offset + length);
            if (!Arrays.equals(want, got.array())) {
                int i = Arrays.mismatch(want, got.array());
                throw new AssertionError("byte " + (offset + i) + " reads " + got.array()[i] + ", the model says " + want[i]
                        + " (read of " + offset + "+" + length + ")");
            }
        }
    }
}
