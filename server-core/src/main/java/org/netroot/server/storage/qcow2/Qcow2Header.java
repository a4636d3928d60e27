package org.netroot.server.storage.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The qcow2 header, its extensions and the backing file name: everything in an image's first
 * cluster (QEMU docs/interop/qcow2.txt, "Header" and "Header extensions"). Decoded from and encoded
 * to bytes, without I/O. {@link #decode} checks every field a reader relies on and refuses, with an
 * {@link IOException} naming the field or feature, anything Netroot cannot handle.
 *
 * @param extensions header extensions other than the backing format (kept as they were: the
 *     feature name table, bitmaps directory...), re-encoded unchanged
 */
public record Qcow2Header(
        int version,
        int clusterBits,
        long size,
        int l1Size,
        long l1TableOffset,
        long refcountTableOffset,
        int refcountTableClusters,
        int nbSnapshots,
        long snapshotsOffset,
        long incompatibleFeatures,
        long compatibleFeatures,
        long autoclearFeatures,
        int refcountOrder,
        Optional<String> backingFile,
        Optional<String> backingFormat,
        List<Extension> extensions) {

    public static final int MAGIC = 0x514649fb; // "QFI\xfb"
    public static final int MIN_CLUSTER_BITS = 9;
    public static final int MAX_CLUSTER_BITS = 21;
    /** Extended L2 entries split a cluster in 32 subclusters of at least 512 bytes. */
    public static final int MIN_EXTENDED_CLUSTER_BITS = 14;
    /** What Netroot writes: v3 with the compression type byte, padded to 8 (as qemu 5.1+ does). */
    static final int V3_HEADER_LENGTH = 112;
    static final int V2_HEADER_LENGTH = 72;

    public static final long INCOMPAT_DIRTY = 1;
    public static final long INCOMPAT_CORRUPT = 1 << 1;
    public static final long INCOMPAT_EXTERNAL_DATA = 1 << 2;
    public static final long INCOMPAT_COMPRESSION_TYPE = 1 << 3;
    public static final long INCOMPAT_EXTENDED_L2 = 1 << 4;
    public static final long COMPAT_LAZY_REFCOUNTS = 1;

    static final int EXT_END = 0;
    static final int EXT_BACKING_FORMAT = 0xe2792aca;
    static final int EXT_FEATURE_NAMES = 0x6803f857;
    static final int EXT_ENCRYPTION = 0x0537be77;
    static final int EXT_EXTERNAL_DATA = 0x44415441;

    /** Field offsets a device rewrites in place (big-endian, as everything in qcow2). */
    static final int OFFSET_SIZE = 24;
    static final int OFFSET_L1 = 36; // l1_size (4) then l1_table_offset (8)
    static final int OFFSET_REFCOUNT_TABLE = 48; // offset (8) then clusters (4)
    static final int OFFSET_INCOMPATIBLE = 72;
    static final int OFFSET_AUTOCLEAR = 88;

    public record Extension(int type, byte[] data) {
    }

    public Qcow2Header {
        extensions = List.copyOf(extensions);
    }

    public int clusterSize() {
        return 1 << clusterBits;
    }

    public boolean dirty() {
        return (incompatibleFeatures & INCOMPAT_DIRTY) != 0;
    }

    /** Extended L2 entries (incompatible bit 4): 16-byte entries, each cluster in 32 subclusters. */
    public boolean extendedL2() {
        return (incompatibleFeatures & INCOMPAT_EXTENDED_L2) != 0;
    }

    /** Entries per L2 table (one cluster): 8 bytes each, 16 with extended L2 entries. */
    public int l2Entries() {
        return clusterSize() / (extendedL2() ? 16 : 8);
    }

    /** Cluster bits of an image whose first bytes are {@code start} (at least 24): to know how much to read. */
    public static int peekClusterBits(ByteBuffer start) throws IOException {
        if (start.remaining() < 24) throw new IOException("not a qcow2 image: shorter than a header");
        if (start.getInt(start.position()) != MAGIC) throw new IOException("not a qcow2 image: bad magic");
        int bits = start.getInt(start.position() + 20);
        if (bits < MIN_CLUSTER_BITS || bits > MAX_CLUSTER_BITS) {
            throw new IOException("qcow2 cluster_bits " + bits + " is out of range (9..21: 512 bytes to 2 MiB)");
        }
        return bits;
    }

    /**
     * Decodes the header from {@code bytes}: the image's first cluster (or all of a shorter file).
     *
     * @param fileSize the image file's size, to refuse tables that lie past its end
     */
    public static Qcow2Header decode(byte[] bytes, long fileSize) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int clusterBits = peekClusterBits(b);
        int version = b.getInt(4);
        if (version != 2 && version != 3) throw new IOException("qcow2 version " + version + " is not supported (2 and 3 are)");
        int clusterSize = 1 << clusterBits;
        if (bytes.length < Math.min(clusterSize, fileSize) || bytes.length < V2_HEADER_LENGTH) {
            throw new IOException("qcow2 header is truncated: the file has " + fileSize + " bytes");
        }
        long backingOffset = b.getLong(8);
        int backingSize = b.getInt(16);
        long size = b.getLong(24);
        int cryptMethod = b.getInt(32);
        int l1Size = b.getInt(36);
        long l1Offset = b.getLong(40);
        long rtOffset = b.getLong(48);
        int rtClusters = b.getInt(56);
        int nbSnapshots = b.getInt(60);
        long snapOffset = b.getLong(64);
        long incompatible = 0;
        long compatible = 0;
        long autoclear = 0;
        int refcountOrder = 4;
        int headerLength = V2_HEADER_LENGTH;
        if (version == 3) {
            if (bytes.length < 104) throw new IOException("qcow2 v3 header is truncated");
            incompatible = b.getLong(72);
            compatible = b.getLong(80);
            autoclear = b.getLong(88);
            refcountOrder = b.getInt(96);
            headerLength = b.getInt(100);
            if (headerLength < 104 || headerLength > clusterSize || headerLength > bytes.length || headerLength % 8 != 0) {
                throw new IOException("qcow2 header_length " + headerLength + " is invalid");
            }
        }
        if (cryptMethod != 0) throw new IOException("encrypted qcow2 images (crypt_method " + cryptMethod + ") are not supported");
        if (refcountOrder < 0 || refcountOrder > 6) throw new IOException("qcow2 refcount_order " + refcountOrder + " is out of range (0..6)");
        if (size < 0 || size > (1L << 61)) throw new IOException("qcow2 virtual size " + size + " is out of range");

        List<Extension> extensions = new ArrayList<>();
        Optional<String> backingFormat = Optional.empty();
        byte[] featureNames = null;
        int extEnd = version == 3 ? clusterSize : (backingOffset > 0 ? (int) Math.min(backingOffset, clusterSize) : clusterSize);
        extEnd = Math.min(extEnd, bytes.length);
        for (int pos = headerLength; pos + 8 <= extEnd; ) {
            int type = b.getInt(pos);
            int len = b.getInt(pos + 4);
            if (type == EXT_END) break;
            if (len < 0 || pos + 8L + len > extEnd) throw new IOException("qcow2 header extension 0x" + Integer.toHexString(type) + " runs past the first cluster");
            byte[] data = new byte[len];
            System.arraycopy(bytes, pos + 8, data, 0, len);
            switch (type) {
                case EXT_BACKING_FORMAT -> backingFormat = Optional.of(new String(data, StandardCharsets.UTF_8));
                case EXT_ENCRYPTION -> throw new IOException("encrypted qcow2 images (LUKS header extension) are not supported");
                case EXT_EXTERNAL_DATA -> throw new IOException("qcow2 images with an external data file are not supported");
                default -> {
                    if (type == EXT_FEATURE_NAMES) featureNames = data;
                    extensions.add(new Extension(type, data));
                }
            }
            pos += 8 + ((len + 7) & ~7);
        }
        checkIncompatibleFeatures(incompatible, bytes, featureNames, headerLength);
        boolean extendedL2 = (incompatible & INCOMPAT_EXTENDED_L2) != 0;
        if (extendedL2 && clusterBits < MIN_EXTENDED_CLUSTER_BITS) {
            // QEMU's rule too: a subcluster (1/32 of a cluster) is at least 512 bytes
            throw new IOException("qcow2 extended L2 entries need clusters of at least 16 KiB, not " + clusterSize + " bytes");
        }

        Optional<String> backingFile = Optional.empty();
        if (backingOffset != 0) {
            if (backingSize <= 0 || backingSize > 1023 || backingOffset < headerLength
                    || backingOffset + backingSize > Math.min(clusterSize, bytes.length)) {
                throw new IOException("qcow2 backing file name (offset " + backingOffset + ", " + backingSize + " bytes) is not inside the first cluster");
            }
            backingFile = Optional.of(new String(bytes, (int) backingOffset, backingSize, StandardCharsets.UTF_8));
        }

        long entriesPerL2 = clusterSize / (extendedL2 ? 16 : 8);
        long needL1 = ceilDiv(size, entriesPerL2 * clusterSize);
        if (l1Size < needL1 || l1Size < 0) throw new IOException("qcow2 L1 table (" + l1Size + " entries) is too small for the virtual size " + size);
        if (l1Size > (32 << 20) / 8) throw new IOException("qcow2 L1 table of " + l1Size + " entries is larger than 32 MiB");
        checkTable("L1 table", l1Offset, (long) l1Size * 8, clusterSize, fileSize, l1Size == 0);
        if (rtClusters <= 0 || rtClusters > (1 << 24)) throw new IOException("qcow2 refcount_table_clusters " + rtClusters + " is invalid");
        checkTable("refcount table", rtOffset, (long) rtClusters * clusterSize, clusterSize, fileSize, false);
        if (nbSnapshots < 0 || nbSnapshots > 65536) throw new IOException("qcow2 nb_snapshots " + nbSnapshots + " is invalid");
        checkTable("snapshot table", snapOffset, nbSnapshots == 0 ? 0 : 40L * nbSnapshots, clusterSize, fileSize, nbSnapshots == 0);

        return new Qcow2Header(version, clusterBits, size, l1Size, l1Offset, rtOffset, rtClusters, nbSnapshots, snapOffset,
                incompatible, compatible, autoclear, refcountOrder, backingFile, backingFormat, extensions);
    }

    private static void checkIncompatibleFeatures(long incompatible, byte[] bytes, byte[] featureNames, int headerLength) throws IOException {
        if ((incompatible & INCOMPAT_CORRUPT) != 0) {
            throw new IOException("qcow2 image is marked corrupt: repair it with `qemu-img check -r all` first");
        }
        if ((incompatible & INCOMPAT_EXTERNAL_DATA) != 0) throw new IOException("qcow2 images with an external data file are not supported");
        if ((incompatible & INCOMPAT_COMPRESSION_TYPE) != 0) {
            int type = headerLength > 104 ? bytes[104] & 0xff : 0;
            if (type != 0) throw new IOException("qcow2 compression type " + (type == 1 ? "zstd" : String.valueOf(type)) + " is not supported (zlib is)");
        }
        long unknown = incompatible & ~(INCOMPAT_DIRTY | INCOMPAT_CORRUPT | INCOMPAT_EXTERNAL_DATA | INCOMPAT_COMPRESSION_TYPE | INCOMPAT_EXTENDED_L2);
        if (unknown != 0) {
            int bit = Long.numberOfTrailingZeros(unknown);
            throw new IOException("qcow2 incompatible feature bit " + bit + featureName(featureNames, bit) + " is not supported");
        }
    }

    /** The name the image's feature name table gives an incompatible bit, as " (name)", or "". */
    private static String featureName(byte[] table, int bit) {
        if (table == null) return "";
        for (int i = 0; i + 48 <= table.length; i += 48) {
            if (table[i] == 0 && (table[i + 1] & 0xff) == bit) {
                int end = i + 2;
                while (end < i + 48 && table[end] != 0) end++;
                return " (" + new String(table, i + 2, end - i - 2, StandardCharsets.UTF_8) + ")";
            }
        }
        return "";
    }

    private static void checkTable(String what, long offset, long length, int clusterSize, long fileSize, boolean mayBeEmpty) throws IOException {
        if (mayBeEmpty && length == 0) return;
        if (offset <= 0 || offset % clusterSize != 0) throw new IOException("qcow2 " + what + " offset " + offset + " is not a cluster boundary inside the file");
        if (offset > fileSize || length > fileSize - offset) {
            throw new IOException("qcow2 " + what + " at " + offset + " (" + length + " bytes) lies past the end of the " + fileSize + "-byte file");
        }
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** The header as Netroot writes it (v3 only): one cluster holding header, extensions and the backing name. */
    public byte[] encode() {
        if (version != 3) throw new IllegalStateException("Netroot writes qcow2 version 3 headers only");
        int clusterSize = clusterSize();
        ByteBuffer b = ByteBuffer.allocate(clusterSize);
        b.putInt(MAGIC).putInt(3).putLong(0).putInt(0).putInt(clusterBits).putLong(size).putInt(0)
                .putInt(l1Size).putLong(l1TableOffset).putLong(refcountTableOffset).putInt(refcountTableClusters)
                .putInt(nbSnapshots).putLong(snapshotsOffset).putLong(incompatibleFeatures).putLong(compatibleFeatures)
                .putLong(autoclearFeatures).putInt(refcountOrder).putInt(V3_HEADER_LENGTH);
        b.position(V3_HEADER_LENGTH); // compression type 0 (zlib) and padding
        if (backingFormat.isPresent()) putExtension(b, EXT_BACKING_FORMAT, backingFormat.get().getBytes(StandardCharsets.UTF_8));
        for (Extension e : extensions) putExtension(b, e.type(), e.data());
        b.putInt(EXT_END).putInt(0);
        if (backingFile.isPresent()) {
            byte[] name = backingFile.get().getBytes(StandardCharsets.UTF_8);
            if (name.length > 1023 || b.position() + name.length > clusterSize) {
                throw new IllegalArgumentException("backing file name too long for the header: " + backingFile.get());
            }
            int at = b.position();
            b.put(name);
            b.putLong(8, at).putInt(16, name.length);
        }
        return b.array();
    }

    private static void putExtension(ByteBuffer b, int type, byte[] data) {
        b.putInt(type).putInt(data.length).put(data);
        b.position(b.position() + ((8 - data.length % 8) % 8));
    }

    public Qcow2Header withIncompatibleFeatures(long bits) {
        return new Qcow2Header(version, clusterBits, size, l1Size, l1TableOffset, refcountTableOffset, refcountTableClusters,
                nbSnapshots, snapshotsOffset, bits, compatibleFeatures, autoclearFeatures, refcountOrder, backingFile, backingFormat, extensions);
    }
}
