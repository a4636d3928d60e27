package org.netroot.server.storage.qcow2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The header, L2 entry and refcount codecs on bytes, no file. */
class Qcow2CodecTest {
    static Qcow2Header sample(Optional<String> backing) {
        return new Qcow2Header(3, 16, 1L << 30, 2, 3 << 16, 1 << 16, 1, 0, 0, 0, 0, 0, 4,
                backing, backing.map(b -> "raw"), List.of(new Qcow2Header.Extension(0x12345678, new byte[] {1, 2, 3})));
    }

    static final long FILE = 4 << 16; // header, refcount table, a block, L1

    @Test
    void headerRoundTripsWithExtensionsAndBackingName() throws IOException {
        Qcow2Header h = sample(Optional.of("../golden.raw"));
        byte[] bytes = h.encode();
        assertEquals(65536, bytes.length);
        Qcow2Header back = Qcow2Header.decode(bytes, FILE);
        assertEquals(h.size(), back.size());
        assertEquals(h.l1TableOffset(), back.l1TableOffset());
        assertEquals(Optional.of("../golden.raw"), back.backingFile());
        assertEquals(Optional.of("raw"), back.backingFormat());
        assertEquals(1, back.extensions().size());
        assertArrayEquals(new byte[] {1, 2, 3}, back.extensions().get(0).data());
        assertArrayEquals(bytes, back.encode(), "decode then encode gives the same bytes");
        assertEquals(Qcow2Header.MAGIC, ByteBuffer.wrap(bytes).getInt(0));
        assertEquals(112, ByteBuffer.wrap(bytes).getInt(100), "header_length as qemu 5.1+ writes it");
    }

    @Test
    void malformedHeadersSayWhatIsWrong() {
        byte[] good = sample(Optional.empty()).encode();
        assertMessage(mutate(good, b -> b.putInt(0, 0x12345678)), "bad magic");
        assertMessage(mutate(good, b -> b.putInt(20, 8)), "cluster_bits 8 is out of range");
        assertMessage(mutate(good, b -> b.putInt(20, 22)), "cluster_bits 22 is out of range");
        assertMessage(mutate(good, b -> b.putInt(4, 4)), "version 4");
        assertMessage(mutate(good, b -> b.putLong(40, 64L << 16)), "L1 table at 4194304 (16 bytes) lies past the end");
        assertMessage(mutate(good, b -> b.putInt(36, 1)), "too small for the virtual size");
        assertMessage(mutate(good, b -> b.putInt(32, 1)), "encrypted");
        assertMessage(mutate(good, b -> b.putLong(72, Qcow2Header.INCOMPAT_EXTERNAL_DATA)), "external data file");
        assertMessage(mutate(good, b -> b.putLong(72, Qcow2Header.INCOMPAT_EXTENDED_L2)), "extended L2");
        assertMessage(mutate(good, b -> b.putLong(72, Qcow2Header.INCOMPAT_COMPRESSION_TYPE).put(104, (byte) 1)), "zstd");
        assertMessage(mutate(good, b -> b.putLong(72, 1L << 9)), "incompatible feature bit 9");
        assertMessage(mutate(good, b -> b.putLong(72, Qcow2Header.INCOMPAT_CORRUPT)), "marked corrupt");
        assertMessage(mutate(good, b -> b.putInt(96, 7)), "refcount_order 7");
        assertMessage(new byte[10], "shorter than a header");
    }

    @Test
    void version2HeadersAreRead() throws IOException {
        byte[] v2 = mutate(sample(Optional.empty()).encode(), b -> {
            b.putInt(4, 2);
            for (int i = 72; i < 120; i++) b.put(i, (byte) 0); // no v3 fields, no extensions
        });
        Qcow2Header h = Qcow2Header.decode(v2, FILE);
        assertEquals(2, h.version());
        assertEquals(4, h.refcountOrder());
        assertFalse(h.dirty());
    }

    @Test
    void l2EntriesEncodeEveryKind() {
        long normal = L2Entry.normal(5L << 16, true);
        assertEquals(L2Entry.Kind.NORMAL, L2Entry.kind(normal));
        assertTrue(L2Entry.copied(normal));
        assertEquals(5L << 16, L2Entry.hostOffset(normal));
        assertEquals(L2Entry.Kind.UNALLOCATED, L2Entry.kind(0));
        assertEquals(L2Entry.Kind.ZERO, L2Entry.kind(L2Entry.ZERO));
        assertEquals(L2Entry.Kind.ZERO, L2Entry.kind(L2Entry.normal(7L << 16, true) | L2Entry.ZERO), "preallocated zero cluster");
        long compressed = L2Entry.compressed(0x12345 * 512 + 100, 3, 16);
        assertEquals(L2Entry.Kind.COMPRESSED, L2Entry.kind(compressed));
        assertEquals(0x12345 * 512 + 100, L2Entry.compressedOffset(compressed, 16));
        assertEquals(4 * 512 - 100, L2Entry.compressedLength(compressed, 16));
        // bit layout (qcow2.txt): x = 62 - (cluster_bits - 8) = 54 for 64 KiB clusters
        assertEquals(3L << 54, compressed & ~L2Entry.COMPRESSED & ~((1L << 54) - 1));
        assertThrows(IllegalArgumentException.class, () -> L2Entry.normal(100, false));
    }

    @Test
    void refcountEntriesRoundTripAtEveryOrder() {
        for (int order = 0; order <= 6; order++) {
            byte[] block = new byte[512];
            int entries = RefcountCodec.entriesPerBlock(512, order);
            long max = RefcountCodec.maxRefcount(order);
            for (int i = 0; i < entries; i++) RefcountCodec.set(block, i, order, (i * 7L + 1) % (Math.min(max, 1000) + 1));
            for (int i = 0; i < entries; i++) {
                assertEquals((i * 7L + 1) % (Math.min(max, 1000) + 1), RefcountCodec.get(block, i, order), "order " + order + " entry " + i);
            }
            int o = order;
            assertThrows(IllegalArgumentException.class, () -> RefcountCodec.set(block, 0, o, -1));
        }
        byte[] b16 = new byte[4];
        RefcountCodec.set(b16, 1, 4, 0x0102);
        assertArrayEquals(new byte[] {0, 0, 1, 2}, b16, "16-bit refcounts are big-endian");
        byte[] b1 = new byte[1];
        RefcountCodec.set(b1, 2, 0, 1);
        assertEquals(4, b1[0], "sub-byte refcounts fill a byte from its least significant bit");
    }

    interface Edit {
        void apply(ByteBuffer b);
    }

    static byte[] mutate(byte[] bytes, Edit edit) {
        byte[] copy = bytes.clone();
        edit.apply(ByteBuffer.wrap(copy));
        return copy;
    }

    static void assertMessage(byte[] bytes, String expected) {
        IOException e = assertThrows(IOException.class, () -> Qcow2Header.decode(bytes, FILE));
        assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
    }
}
