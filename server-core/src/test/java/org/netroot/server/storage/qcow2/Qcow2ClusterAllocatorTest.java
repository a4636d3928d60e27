package org.netroot.server.storage.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.MIB;
import static org.netroot.server.storage.qcow2.Qcow2QemuInteropTest.pattern;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.storage.FileHoles;
import org.netroot.server.testing.Qcow2CheckedTempDirs.LeavesDamagedImages;

/** Freed clusters when punching their hole fails: never punched later over live data, never reused early. */
@LeavesDamagedImages("the allocator is driven alone: clusters counted with no L2 entry naming them are leaks by construction")
class Qcow2ClusterAllocatorTest {
    static final int CLUSTER = Qcow2BlockDevice.DEFAULT_CLUSTER_SIZE;

    @TempDir Path dir;
    FileChannel channel;
    FileHoles holes;
    HostFile host;
    ClusterAllocator alloc;
    volatile boolean punchFails;

    @BeforeEach
    void open() throws IOException {
        Path image = dir.resolve("disk.qcow2");
        Qcow2BlockDevice.create(image, 16 * MIB, Optional.empty());
        channel = FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        holes = FileHoles.open(image, channel);
        host = new HostFile(channel);
        Qcow2Header h = Qcow2Header.decode(host.readBytes(0, CLUSTER), channel.size());
        alloc = new ClusterAllocator(host, (offset, length) -> {
            if (punchFails) throw new IOException("injected: fallocate failed");
            holes.punch(offset, length);
        }, h, 4, (offset, clusters) -> {
            throw new IOException("the refcount table does not move in these tests");
        });
    }

    @AfterEach
    void close() throws IOException {
        holes.close();
        channel.close();
    }

    long allocateWith(byte[] data) throws IOException {
        long c = alloc.allocate();
        host.write(c * CLUSTER, data);
        alloc.increment(c);
        return c;
    }

    @Test
    void aBatchWhosePunchFailedIsNotPunchedAgainAfterItsClusterIsReused() throws Exception {
        long first = allocateWith(pattern(CLUSTER, 1));
        long second = allocateWith(pattern(CLUSTER, 2));
        alloc.startBatch();
        alloc.decrement(first);
        punchFails = true;
        assertThrows(IOException.class, alloc::punchBatch);
        punchFails = false;

        alloc.releaseQuarantine(); // no I/O in flight: the freed cluster may be reused
        byte[] live = pattern(CLUSTER, 3);
        assertEquals(first, allocateWith(live), "the freed cluster is reused");

        alloc.startBatch();
        alloc.decrement(second);
        alloc.punchBatch();
        assertArrayEquals(live, host.readBytes(first * CLUSTER, CLUSTER), "a later batch punched the reused cluster: live data zeroed");
    }

    @Test
    void aClusterWhosePunchFailedStillWaitsInQuarantine() throws Exception {
        long a = allocateWith(pattern(CLUSTER, 1));
        allocateWith(pattern(CLUSTER, 2));
        long c = allocateWith(pattern(CLUSTER, 3));
        alloc.decrement(a);
        alloc.releaseQuarantine(); // the search for free clusters starts at a again
        punchFails = true;
        assertThrows(IOException.class, () -> alloc.decrement(c));
        punchFails = false;
        assertEquals(1, alloc.quarantined());
        assertEquals(a, alloc.allocate());
        assertNotEquals(c, alloc.allocate(), "freed while I/O may still use its address: not handed out before the quarantine ends");
    }
}
