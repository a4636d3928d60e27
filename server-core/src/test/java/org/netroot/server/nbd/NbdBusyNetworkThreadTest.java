package org.netroot.server.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.service.InputErrors;

/**
 * A network thread kept busy while the disk threads answer (a loaded machine): each reply waits in its task
 * queue, where the write water mark cannot see it, after its request left the in-flight count on its disk
 * thread. Such replies must still count against the connection's 64 MiB, or a client that reads nothing gets
 * another 64 MiB answered. Made to happen every time: the reads wait for a gate, the network threads for a latch.
 */
class NbdBusyNetworkThreadTest {
    static final int MIB = 1 << 20;
    /** 2 MiB reads: 32 fill the 64 MiB in flight, and more than 32 others wait from the first socket read (2 KiB). */
    static final int LENGTH = 2 * MIB;
    static final int REQUESTS = 100;

    @TempDir
    Path dir;

    @Test
    void repliesWaitingForABusyNetworkThreadStillHoldRequestsBack() throws Exception {
        Path file = dir.resolve("pc1.img");
        try (RandomAccessFile r = new RandomAccessFile(file.toFile(), "rw")) {
            r.setLength(8 * MIB);
        }
        CountDownLatch readsMayRun = new CountDownLatch(1);
        List<GatedBlockDevice> devices = new CopyOnWriteArrayList<>();
        FixedCatalog catalog = new FixedCatalog(d -> {
            GatedBlockDevice gated = new GatedBlockDevice(d, readsMayRun);
            devices.add(gated);
            return gated;
        }).add(new NbdExport("pc1-disk", "pc1", "52:54:00:00:00:01", 8 * MIB, false, false), file, "127.0.0.1");
        NbdService service = new NbdService(new NbdSettings((InetAddress) null, 0), catalog, BootEventSink.NONE, new InputErrors());
        service.start();
        CountDownLatch networkMayRun = new CountDownLatch(1);
        try (RawNbdClient c = RawNbdClient.open(service.port(), "pc1-disk", false)) {
            c.socket.setReceiveBufferSize(32 << 10);
            ByteBuffer burst = ByteBuffer.allocate(REQUESTS * 28); // reads this long are always the disk threads' (RequestPlacement)
            for (int i = 0; i < REQUESTS; i++) burst.put(new Request(0, NbdProtocol.CMD_READ, i, (long) (i % 4) * LENGTH, LENGTH).encode());
            c.out.write(burst.array());
            c.out.flush();
            await("64 MiB of reads at the disk threads (waiting at the gate), the rest held", () -> service.pausedConnections() == 1);
            GatedBlockDevice device = devices.getFirst();

            service.onNetworkThreads(() -> {
                try {
                    networkMayRun.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            readsMayRun.countDown();
            await("the 32 reads done", () -> device.reads.get() == 32);
            Thread.sleep(200); // each disk thread queues its reply for the busy network thread right after its read
            networkMayRun.countDown();

            // the replies reach the channel now; what else is read before the client reads must stay within the limits
            int answered = device.reads.get();
            for (int unchanged = 0; unchanged < 10; ) { // half a second without another read
                Thread.sleep(50);
                int now = device.reads.get();
                unchanged = now == answered ? unchanged + 1 : 0;
                answered = now;
            }
            assertEquals(1, service.pausedConnections(), "the connection waits for the client");
            // 64 MiB in flight or waiting to be written, the 16 MiB water mark, what the socket buffers took (80 MiB and a
            // little); a server that forgot the waiting replies answered another 64 MiB (128)
            assertTrue((long) answered * LENGTH <= 96L * MIB, answered + " reads of 2 MiB answered for a client that reads nothing");
            for (int i = 0; i < REQUESTS; i++) assertEquals(0, c.reply(LENGTH).error(), "reply " + i);
            assertEquals(REQUESTS, device.reads.get());
        } finally {
            networkMayRun.countDown();
            readsMayRun.countDown();
            service.stop();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("within 10 s: " + what);
            Thread.sleep(10);
        }
    }
}
