package org.netroot.server.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.DiskFullException;
import org.netroot.server.storage.RawFileBlockDevice;
import org.netroot.server.testing.Processes;

/**
 * Requests on a real raw volume file, replies read as bytes: data and errno values, simple and
 * structured replies, FUA, TRIM and WRITE_ZEROES with and without NO_HOLE, a read-only export, and a
 * disk that fills up (a small tmpfs, as root).
 */
class TransmissionTest {
    static final int SIZE = 1 << 20;

    @TempDir
    Path dir;
    BlockDevice device;
    final RecordingReplies out = new RecordingReplies();
    final List<DiskFullException> full = new ArrayList<>();
    Path file;
    Path mount;

    @AfterEach
    void close() throws Exception {
        if (device != null) device.close();
        if (mount != null) Processes.run(20, "umount", mount.toString());
    }

    Transmission open(boolean readOnly, boolean structured) throws Exception {
        file = dir.resolve("volume.img");
        if (!Files.exists(file)) {
            byte[] bytes = new byte[SIZE];
            new Random(7).nextBytes(bytes);
            Files.write(file, bytes);
        }
        device = RawFileBlockDevice.open(file, readOnly);
        return new Transmission(device, SIZE, Handshake.transmissionFlags(readOnly, false, structured), structured, out,
                full::add);
    }

    RecordingReplies.Parsed run(Transmission t, Request r, byte[] payload) {
        int before = out.count();
        t.execute(r, payload == null ? null : ByteBuffer.wrap(payload));
        assertEquals(before + 1, out.count(), "one reply per request");
        RecordingReplies.Parsed p = RecordingReplies.parse(out.last());
        assertEquals(r.handle(), p.handle(), "the reply carries the request's handle");
        return p;
    }

    static Request req(int type, int flags, long offset, long length) {
        return new Request(flags, type, 0x1122334455667788L ^ offset, offset, length);
    }

    byte[] fileBytes(int offset, int length) throws Exception {
        return Arrays.copyOfRange(Files.readAllBytes(file), offset, offset + length);
    }

    @Test
    void aSimpleReadCarriesTheBytesAfterItsHeader() throws Exception {
        Transmission t = open(false, false);
        RecordingReplies.Parsed p = run(t, req(NbdProtocol.CMD_READ, 0, 4096, 8192), null);
        assertFalse(p.structured());
        assertEquals(0, p.error());
        assertArrayEquals(fileBytes(4096, 8192), p.payload());
        assertTrue(out.balanced());
    }

    @Test
    void aStructuredReadIsOneOffsetDataChunkMarkedDone() throws Exception {
        Transmission t = open(false, true);
        RecordingReplies.Parsed p = run(t, req(NbdProtocol.CMD_READ, NbdProtocol.CMD_FLAG_DF, 1000, 3000), null);
        assertTrue(p.structured());
        assertEquals(NbdProtocol.REPLY_TYPE_OFFSET_DATA, p.type());
        assertEquals(NbdProtocol.REPLY_FLAG_DONE, p.flags());
        assertEquals(1000, ByteBuffer.wrap(p.payload()).getLong(), "the chunk's offset");
        assertArrayEquals(fileBytes(1000, 3000), Arrays.copyOfRange(p.payload(), 8, p.payload().length));
        RecordingReplies.Parsed empty = run(t, req(NbdProtocol.CMD_READ, 0, 0, 0), null);
        assertEquals(NbdProtocol.REPLY_TYPE_NONE, empty.type(), "a READ of nothing: the NONE chunk, never a simple reply");
        assertEquals(NbdProtocol.REPLY_FLAG_DONE, empty.flags());
    }

    @Test
    void outOfRangeUnknownAndBadFlagsAreEinvalWritesPastTheEndEnospc() throws Exception {
        Transmission t = open(false, true);
        RecordingReplies.Parsed past = run(t, req(NbdProtocol.CMD_READ, 0, SIZE - 512, 1024), null);
        assertEquals(NbdProtocol.REPLY_TYPE_ERROR, past.type());
        assertEquals(NbdProtocol.EINVAL, past.error());
        assertTrue(past.message().contains("past the end of the 1048576-byte export"), past.message());
        assertEquals(NbdProtocol.EINVAL, run(t, req(NbdProtocol.CMD_READ, 0, -4096, 512), null).error(),
                "an offset of 2^63 and more is past the end too, not negative");
        assertEquals(NbdProtocol.EINVAL, run(t, req(NbdProtocol.CMD_TRIM, 0, SIZE, 1), null).error());
        assertEquals(NbdProtocol.ENOSPC, run(t, req(NbdProtocol.CMD_WRITE, 0, SIZE - 1, 2), new byte[2]).error(),
                "the protocol: ENOSPC for a write past the end");
        assertEquals(NbdProtocol.ENOSPC, run(t, req(NbdProtocol.CMD_WRITE_ZEROES, 0, SIZE, 512), null).error());
        assertEquals(NbdProtocol.EINVAL, run(t, req(7, 0, 0, 512), null).error(), "BLOCK_STATUS was never offered");
        assertEquals(NbdProtocol.EINVAL, run(t, req(NbdProtocol.CMD_WRITE, NbdProtocol.CMD_FLAG_NO_HOLE, 0, 1), new byte[1]).error());
        assertEquals(NbdProtocol.EINVAL, run(t, req(NbdProtocol.CMD_READ, NbdProtocol.MAX_PAYLOAD, 0, 1), null).error());
        assertEquals(NbdProtocol.EINVAL, run(t, req(NbdProtocol.CMD_READ, 0, 0, NbdProtocol.MAX_PAYLOAD + 1L), null).error());
        assertEquals(0, run(t, req(NbdProtocol.CMD_READ, NbdProtocol.CMD_FLAG_FUA, 0, 512), null).error(),
                "FUA on a read is allowed (the kernel sets it) and ignored");
        assertArrayEquals(fileBytes(0, SIZE), Files.readAllBytes(file), "nothing refused changed the volume");
    }

    @Test
    void withoutStructuredRepliesErrorsAreSimpleRepliesWithoutData() throws Exception {
        Transmission t = open(false, false);
        RecordingReplies.Parsed p = run(t, req(NbdProtocol.CMD_READ, 0, SIZE, 4096), null);
        assertFalse(p.structured());
        assertEquals(NbdProtocol.EINVAL, p.error());
        assertEquals(0, p.payload().length, "no data after an error");
        assertEquals(NbdProtocol.EINVAL, run(t, req(NbdProtocol.CMD_READ, NbdProtocol.CMD_FLAG_DF, 0, 512), null).error(),
                "DF is offered only with structured replies");
    }

    @Test
    void writesLandInTheFileFuaAndFlushAnswerOnlyOnceDone() throws Exception {
        Transmission t = open(false, true);
        byte[] data = new byte[5000];
        Arrays.fill(data, (byte) 0x5a);
        RecordingReplies.Parsed w = run(t, req(NbdProtocol.CMD_WRITE, NbdProtocol.CMD_FLAG_FUA, 777, data.length), data);
        assertFalse(w.structured(), "a success without payload is a simple reply");
        assertEquals(0, w.error());
        assertArrayEquals(data, fileBytes(777, data.length));
        assertEquals(0, run(t, req(NbdProtocol.CMD_FLUSH, 0, 0, 0), null).error());
        assertEquals(0, run(t, req(NbdProtocol.CMD_FLUSH, 0, 123, 456), null).error(), "a flush's offset and length are not looked at");
        assertEquals(data.length, t.bytesWritten());
        run(t, req(NbdProtocol.CMD_READ, 0, 777, data.length), null);
        assertEquals(data.length, t.bytesRead());
    }

    @Test
    void trimAndWriteZeroesReadAsZerosNoHoleKeepsTheBlocksAllocated() throws Exception {
        Transmission t = open(false, true);
        long allocated = device.allocatedBytes();
        assertEquals(0, run(t, req(NbdProtocol.CMD_TRIM, 0, 64 << 10, 128 << 10), null).error());
        assertArrayEquals(new byte[128 << 10], fileBytes(64 << 10, 128 << 10));
        assertEquals(0, run(t, req(NbdProtocol.CMD_WRITE_ZEROES, 0, 256 << 10, 128 << 10), null).error());
        assertArrayEquals(new byte[128 << 10], fileBytes(256 << 10, 128 << 10));
        long afterHoles = device.allocatedBytes();
        if (allocated >= 0) assertTrue(afterHoles < allocated, "punched: " + allocated + " -> " + afterHoles);
        assertEquals(0, run(t, req(NbdProtocol.CMD_WRITE_ZEROES, NbdProtocol.CMD_FLAG_NO_HOLE | NbdProtocol.CMD_FLAG_FUA,
                (64 << 10) + 1, 200_000), null).error());
        assertArrayEquals(new byte[200_000], fileBytes((64 << 10) + 1, 200_000));
        if (allocated >= 0) assertTrue(device.allocatedBytes() > afterHoles, "NO_HOLE writes zeros: the blocks are there again");
        byte[] untouched = fileBytes(0, 64 << 10);
        assertFalse(Arrays.equals(new byte[64 << 10], untouched), "the bytes before the ranges are as they were");
    }

    @Test
    void aReadOnlyExportRefusesEveryWriteWithEperm() throws Exception {
        Transmission t = open(true, true); // a golden image: its device is opened read-only
        for (int type : new int[] {NbdProtocol.CMD_WRITE, NbdProtocol.CMD_TRIM, NbdProtocol.CMD_WRITE_ZEROES}) {
            RecordingReplies.Parsed p = run(t, req(type, 0, 0, 512), type == NbdProtocol.CMD_WRITE ? new byte[512] : null);
            assertEquals(NbdProtocol.EPERM, p.error(), NbdProtocol.commandName(type));
            assertTrue(p.message().contains("read-only"), p.message());
        }
        assertEquals(0, run(t, req(NbdProtocol.CMD_READ, 0, 0, 512), null).error());
        assertEquals(0, run(t, req(NbdProtocol.CMD_FLUSH, 0, 0, 0), null).error());
    }

    @Test
    void aFullDiskAnswersEnospcReportsItOnceAndKeepsWhatWasWritten() throws Exception {
        assumeTrue(Processes.isRoot(), "mounting a small tmpfs needs root");
        Path m = Files.createDirectory(dir.resolve("small"));
        Processes.Result r = Processes.run(20, "mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", m.toString());
        assumeTrue(r.exitCode() == 0, "mount -t tmpfs is not allowed here: " + r.all());
        mount = m;
        file = m.resolve("volume.img");
        long size = 16L << 20;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(size); // sparse: room for a quarter of it
        }
        device = RawFileBlockDevice.open(file, false);
        Transmission t = new Transmission(device, size, Handshake.transmissionFlags(false, false, true), true, out, full::add);
        byte[] chunk = new byte[1 << 20];
        int written = 0;
        RecordingReplies.Parsed last = null;
        for (int i = 0; i < 16; i++) {
            Arrays.fill(chunk, (byte) (i + 1));
            last = run(t, req(NbdProtocol.CMD_WRITE, 0, (long) i << 20, chunk.length), chunk);
            if (last.error() != 0) break;
            written++;
        }
        assertTrue(written >= 1 && written < 16, written + " MiB written");
        assertEquals(NbdProtocol.ENOSPC, last.error(), last.message());
        assertFalse(full.isEmpty(), "the full disk is reported (the connection makes a boot event of it)");
        RecordingReplies.Parsed back = run(t, req(NbdProtocol.CMD_READ, 0, 0, 1 << 20), null);
        byte[] first = Arrays.copyOfRange(back.payload(), 8, back.payload().length);
        byte[] ones = new byte[1 << 20];
        Arrays.fill(ones, (byte) 1);
        assertArrayEquals(ones, first, "what was written before reads back");
        assertEquals(0, run(t, req(NbdProtocol.CMD_TRIM, 0, 0, 2 << 20), null).error());
        Arrays.fill(chunk, (byte) 0x77);
        assertEquals(0, run(t, req(NbdProtocol.CMD_WRITE, 0, (long) written << 20, chunk.length), chunk).error(),
                "a trim gave space back: writes work again");
    }
}
