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
        assertMessage(mutate(good, b -> b.putLong(72, Qcow2Header.INCOMPAT_EXTENDED_L2)), "L1 table (2 entries) is too small"); // 16-byte entries: half the reach
        assertMessage(mutate(good, b -> b.putLong(72, Qcow2Header.INCOMPAT_EXTENDED_L2).putInt(20, 13).putInt(36, 64)),
                "extended L2 entries need clusters of at least 16 KiB");
        assertMessage(mutate(good, b -> b.putLong(72, Qcow2Header.INCOMPAT_COMPRESSION_TYPE).put(104, (byte) 1)), "zstd");
        assertMessage(mutate(good, b -> b.putLong(72, 1L << 9)), "incompatible feature bit 9");
        assertMessage(mutate(good, b -> b.putLong(72, Qcow2Header.INCOMPAT_CORRUPT)), "marked corrupt");
        assertMessage(mutate(good, b -> b.putInt(96, 7)), "refcount_order 7");
        assertMessage(new byte[10], "shorter than a header");
    }

    @Test
    void extendedL2HeadersAreReadWithEntriesOf16Bytes() throws IOException {
        byte[] extended = mutate(sample(Optional.empty()).encode(), b -> b.putLong(72, Qcow2Header.INCOMPAT_EXTENDED_L2).putInt(36, 4));
        Qcow2Header h = Qcow2Header.decode(extended, FILE);
        assertTrue(h.extendedL2());
        assertEquals(4096, h.l2Entries(), "64 KiB / 16 bytes");
        assertEquals(8192, sample(Optional.empty()).l2Entries(), "64 KiB / 8 bytes");
        assertFalse(sample(Optional.empty()).extendedL2());
        assertArrayEquals(extended, h.encode());
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

    /** A standard entry reads as a cluster of one subcluster: allocated, zero or unallocated; and encodes back to the same word. */
    @Test
    void standardEntriesMapToOneSubcluster() throws IOException {
        L2Layout std = L2Layout.STANDARD;
        long normal = L2Entry.normal(5L << 16, true);
        ClusterMapping m = std.decode(normal, 0);
        assertEquals(L2Entry.Kind.NORMAL, m.kind(0));
        assertTrue(m.owned());
        assertEquals(5L << 16, m.hostOffset());
        assertEquals(normal, std.word(m));
        ClusterMapping zero = std.decode(L2Entry.ZERO, 0);
        assertEquals(L2Entry.Kind.ZERO, zero.kind(0));
        assertEquals(L2Entry.ZERO, std.word(zero));
        long preallocated = L2Entry.normal(7L << 16, true) | L2Entry.ZERO;
        ClusterMapping pre = std.decode(preallocated, 0);
        assertEquals(L2Entry.Kind.ZERO, pre.kind(0));
        assertTrue(pre.owned(), "a preallocated zero cluster this image owns is filled in place");
        assertEquals(preallocated, std.word(pre));
        assertEquals(preallocated & ~L2Entry.ZERO, std.word(pre.withSubclusters(1, 0)), "written: the zero flag goes");
        assertEquals(ClusterMapping.UNALLOCATED, std.decode(0, 0));
        assertEquals(L2Entry.Kind.UNALLOCATED, std.decode(0, 0).kind(0));
        long compressed = L2Entry.compressed(0x12345 * 512 + 100, 3, 16);
        assertEquals(L2Entry.Kind.COMPRESSED, std.decode(compressed, 0).kind(0));
        assertEquals(compressed, std.word(std.decode(compressed, 0)));
        assertThrows(IllegalStateException.class, () -> std.word(m.withSubclusters(0, 0)), "a host cluster with nothing allocated has no standard form");
    }

    /** An extended entry: the bitmap says each subcluster's state; bit 0 of the word is reserved (zeros live in the bitmap). */
    @Test
    void extendedEntriesHoldABitmapPerSubcluster() throws IOException {
        L2Layout ext = L2Layout.EXTENDED;
        long word = L2Entry.normal(9L << 17, true);
        long bitmap = ClusterMapping.bitmap(0b0101, 0b1000 | 1 << 31); // 0 and 2 allocated, 3 and 31 zero
        ClusterMapping m = ext.decode(word, bitmap);
        assertEquals(L2Entry.Kind.NORMAL, m.kind(0));
        assertEquals(L2Entry.Kind.UNALLOCATED, m.kind(1));
        assertEquals(L2Entry.Kind.NORMAL, m.kind(2));
        assertEquals(L2Entry.Kind.ZERO, m.kind(3));
        assertEquals(L2Entry.Kind.UNALLOCATED, m.kind(30));
        assertEquals(L2Entry.Kind.ZERO, m.kind(31));
        assertEquals(word, ext.word(m));
        assertEquals(bitmap, ext.bitmap(m));
        assertEquals(word, ext.word(ext.decode(word | L2Entry.ZERO, bitmap)), "reserved bit 0 is ignored, and never written");
        ClusterMapping reserved = ext.decode(word, 0);
        assertEquals(L2Entry.Kind.UNALLOCATED, reserved.kind(0), "a host cluster with nothing allocated: reads from the backing image");
        assertTrue(reserved.owned());
        ClusterMapping zeroOnly = ext.decode(0, ClusterMapping.bitmap(0, -1));
        assertEquals(L2Entry.Kind.ZERO, zeroOnly.kind(17));
        assertEquals(0, zeroOnly.hostOffset());
        assertEquals(ClusterMapping.bits(0, 31), ext.all());
        assertEquals(-1L << 32, ext.bitmap(zeroOnly));
        assertEquals(0b1110, ClusterMapping.bits(1, 3));
        assertEquals(-1, ClusterMapping.bits(0, 31));
        assertEquals(1 << 31, ClusterMapping.bits(31, 31));
        long compressed = L2Entry.compressed(0x12345 * 512 + 101, 3, 17);
        assertEquals(L2Entry.Kind.COMPRESSED, ext.decode(compressed, 0).kind(5));
        assertEquals(0x12345 * 512 + 101, L2Entry.compressedOffset(ext.word(ext.decode(compressed, 0)), 17), "bit 0 of a compressed entry is its offset's");
        assertEquals(0, ext.bitmap(ext.decode(compressed, 0)));
    }

    @Test
    void contradictoryBitmapsAreRefusedAsCorrupt() {
        L2Layout ext = L2Layout.EXTENDED;
        long word = L2Entry.normal(9L << 17, true);
        IOException both = assertThrows(IOException.class, () -> ext.decode(word, ClusterMapping.bitmap(0b10, 0b11)));
        assertTrue(both.getMessage().contains("both allocated and zero"), both.getMessage());
        IOException noHost = assertThrows(IOException.class, () -> ext.decode(0, ClusterMapping.bitmap(1, 0)));
        assertTrue(noHost.getMessage().contains("without a host cluster"), noHost.getMessage());
        IOException compressed = assertThrows(IOException.class, () -> ext.decode(L2Entry.compressed(4096, 0, 17), 1));
        assertTrue(compressed.getMessage().contains("compressed cluster with a subcluster bitmap"), compressed.getMessage());
        ClusterMapping bad = new ClusterMapping(word, ClusterMapping.bitmap(1, 1));
        assertThrows(IllegalStateException.class, () -> ext.bitmap(bad), "never written either");
        assertThrows(IllegalStateException.class, () -> ext.bitmap(new ClusterMapping(0, 1)));
    }

    @Test
    void clusterLayoutsAreChecked() {
        assertEquals(4096, ClusterLayout.EXTENDED.subclusterSize());
        assertEquals(128 << 10, ClusterLayout.EXTENDED.clusterSize());
        assertEquals(65536, ClusterLayout.STANDARD.subclusterSize());
        assertEquals(8192, ClusterLayout.EXTENDED.l2Entries(), "128 KiB / 16: each L2 table maps 1 GiB");
        assertThrows(IllegalArgumentException.class, () -> new ClusterLayout(8192, true));
        assertThrows(IllegalArgumentException.class, () -> ClusterLayout.standard(3000));
        assertThrows(IllegalArgumentException.class, () -> ClusterLayout.standard(4 << 20));
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
