package org.netroot.server.bench;

import java.util.Locale;
import java.util.SplittableRandom;
import org.netroot.server.testing.RawInitiator;

/**
 * 4 KiB random writes over iSCSI for bench/volumes.sh (not a unit test): no stock tool here writes
 * through libiscsi (iscsi-perf only reads, fio lacks the engine), so this one does, on the test
 * initiator. One session on the loopback portal, {@code depth} WRITE(10)s in flight (a new one sent as
 * each answer arrives), 4 KiB-aligned offsets drawn uniformly over the disk, random bytes (nothing a
 * target could skip as zeros), for a fixed time. Prints one line:
 * {@code writes N seconds S iops X mbps Y}.
 *
 * <pre>
 *   IscsiRandomWrites PORT INITIATOR_IQN TARGET_IQN DISK_BYTES SECONDS DEPTH [SEED]
 * </pre>
 */
public final class IscsiRandomWrites {
    static final int BLOCK = 4096;

    public static void main(String[] args) throws Exception {
        if (args.length < 6) {
            System.err.println("usage: IscsiRandomWrites PORT INITIATOR_IQN TARGET_IQN DISK_BYTES SECONDS DEPTH [SEED]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long diskBytes = Long.parseLong(args[3]);
        double seconds = Double.parseDouble(args[4]);
        int depth = Integer.parseInt(args[5]);
        long seed = args.length > 6 ? Long.parseLong(args[6]) : System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        byte[][] buffers = new byte[64][BLOCK]; // a few distinct payloads, reused
        for (byte[] b : buffers) random.nextBytes(b);
        long blocks = diskBytes / BLOCK;

        try (RawInitiator session = RawInitiator.login(port, args[1], args[2])) {
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            int inFlight = 0;
            long done = 0;
            for (; inFlight < depth; inFlight++) {
                session.sendWrite(random.nextLong(blocks) * (BLOCK / 512), buffers[inFlight % buffers.length]);
            }
            while (inFlight > 0) {
                session.awaitWrite();
                inFlight--;
                done++;
                if (System.nanoTime() < end) {
                    session.sendWrite(random.nextLong(blocks) * (BLOCK / 512), buffers[(int) (done % buffers.length)]);
                    inFlight++;
                }
            }
            double took = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "writes %d seconds %.3f iops %.1f mbps %.2f%n", done, took, done / took,
                    done * BLOCK / took / 1e6);
        }
    }
}
