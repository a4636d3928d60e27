package org.netroot.server.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import org.netroot.server.storage.qcow2.Qcow2BlockDevice;
import org.netroot.server.testing.RawInitiator;

/**
 * 4 KiB random writes over iSCSI for bench/volumes.sh (not a unit test): no stock tool here writes
 * through libiscsi (iscsi-perf only reads, fio lacks the engine), so this one does, on the test
 * initiator. One session on the loopback portal, {@code depth} WRITE(10)s in flight (a new one sent as
 * each answer arrives), 4 KiB-aligned offsets drawn uniformly over the disk, random bytes (nothing a
 * target could skip as zeros), for a fixed time. Prints one line:
 * {@code writes N seconds S iops X mbps Y}.
 *
 * <p>Pattern {@code uniform} draws every offset over the whole disk (on a fresh qcow2 overlay, the
 * share of writes that allocate falls as the run goes on); {@code new-clusters} writes each cluster
 * of the size Netroot creates ({@link Qcow2BlockDevice#DEFAULT_CLUSTER_SIZE}) once, in random order, at
 * a random 4 KiB inside it, so on a fresh overlay every write allocates a cluster (the worst case, and
 * the pattern of {@code qemu-img bench -S}); it ends early when every cluster has had its write.
 *
 * <pre>
 *   IscsiRandomWrites PORT INITIATOR_IQN TARGET_IQN DISK_BYTES SECONDS DEPTH [uniform|new-clusters [SEED]]
 * </pre>
 */
public final class IscsiRandomWrites {
    static final int BLOCK = 4096;
    static final int CLUSTER = Qcow2BlockDevice.DEFAULT_CLUSTER_SIZE;

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: IscsiRandomWrites PORT INITIATOR_IQN TARGET_IQN DISK_BYTES SECONDS DEPTH"
                    + " [uniform|new-clusters [SEED]]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long diskBytes = Long.parseLong(args[3]);
        double seconds = Double.parseDouble(args[4]);
        int depth = Integer.parseInt(args[5]);
        String pattern = args.length > 6 ? args[6] : "uniform";
        long seed = args.length > 7 ? Long.parseLong(args[7]) : System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] buffers = new byte[64][BLOCK]; // a few distinct payloads, reused
        for (byte[] b : buffers) random.nextBytes(b);
        Offsets offsets = switch (pattern) {
            case "uniform" -> uniform(diskBytes, random);
            case "new-clusters" -> newClusters(diskBytes, random);
            default -> throw new IllegalArgumentException("pattern is uniform or new-clusters, not " + pattern);
        };

        try (RawInitiator session = RawInitiator.login(port, args[1], args[2])) {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            int inFlight = 0;
            long done = 0;
            long sent = 0;
            for (; inFlight < depth && offsets.hasNext(); inFlight++) {
                session.sendWrite(offsets.next() / 512, buffers[(int) (sent++ % buffers.length)]);
            }
            while (inFlight > 0) {
                session.awaitWrite();
                inFlight--;
                done++;
                if (System.nanoTime() < end && offsets.hasNext()) {
                    session.sendWrite(offsets.next() / 512, buffers[(int) (sent++ % buffers.length)]);
                    inFlight++;
                }
            }
            double took = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "writes %d seconds %.3f iops %.1f mbps %.2f%n", done, took, done / took,
                    done * BLOCK / took / 1e6);
        }
    }

    /** Byte offsets of the writes, 4 KiB-aligned. */
    interface Offsets {
        boolean hasNext();

        long next();
    }

    static Offsets uniform(long diskBytes, SplittableRandom random) {
        long blocks = diskBytes / BLOCK;
        return new Offsets() {
            public boolean hasNext() {
                return true;
            }

            public long next() {
                return random.nextLong(blocks) * BLOCK;
            }
        };
    }

    static Offsets newClusters(long diskBytes, SplittableRandom random) {
        int clusters = (int) (diskBytes / CLUSTER);
        int[] order = new int[clusters];
        for (int i = 0; i < clusters; i++) order[i] = i;
        for (int i = clusters - 1; i > 0; i--) { // Fisher-Yates
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new Offsets() {
            int next;

            public boolean hasNext() {
                return next < clusters;
            }

            public long next() {
                return (long) order[next++] * CLUSTER + (long) random.nextInt(CLUSTER / BLOCK) * BLOCK;
            }
        };
    }
}
