package org.netroot.server.storage.qcow2;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.netroot.server.storage.BlockDevice;
import org.netroot.server.storage.DiskFullException;
import org.netroot.server.storage.FileHoles;
import org.netroot.server.storage.RawFileBlockDevice;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A qcow2 image (QEMU docs/interop/qcow2.txt) as a {@link BlockDevice}: version 3 images are read
 * and written, version 2 images read; standard and extended L2 entries (subclusters, incompatible
 * feature bit 4: see {@link L2Layout}); backing chains of raw and qcow2 images (a backing file is
 * followed only when the image names its format, never guessed, and only inside the image's folder
 * or below: see {@link #resolveBacking}); zlib-compressed
 * clusters are read (a write into one copies it to a new cluster). Refused when opened, with a
 * message naming the feature: encryption, an external data file, zstd compression, unknown
 * incompatible feature bits. Internal snapshots are
 * taken, listed, applied (rollback) and removed as QEMU stores them ({@link #createSnapshot},
 * {@link #snapshots}, {@link #revertToSnapshot}, {@link #deleteSnapshot}): {@code qemu-img snapshot}
 * sees Netroot's, and Netroot applies qemu's. A snapshot operation takes the gate's exclusive side:
 * it waits for running I/O and holds new I/O off until it is done (it reads every L2 table and writes
 * the refcounts anew: time grows with the image's metadata), so callers need not stop the initiator
 * for it; whether a rollback under a running client is wise is theirs to decide.
 *
 * <h2>Subclusters</h2>
 * With extended L2 entries each cluster is 32 subclusters, each allocated (read from the host
 * cluster), zero, or unallocated (read from the backing image, or zeros without one) on its own; a
 * standard entry is handled as a cluster of one subcluster ({@link ClusterMapping}). A write
 * allocates whole subclusters: into a fresh cluster it reserves a host cluster and writes only the
 * subclusters it touches (a partial one filled from the backing image), so a 4 KiB write into an
 * overlay with 4 KiB subclusters copies nothing; the rest of the cluster keeps reading from the
 * backing image until written. A discard frees whole clusters, and inside a cluster whole
 * subclusters (zero where a backing image would show through, else unallocated; their host bytes
 * punched), so {@link #discardGranularityBytes} is the subcluster size.
 *
 * <h2>Concurrency</h2>
 * Reads, and writes into allocated subclusters of clusters this image already owns alone (L1 and
 * L2 "copied" flags), look their address up without an exclusive lock (L1 in an
 * {@link AtomicLongArray}, L2 tables in {@link L2Cache}) and do their I/O with no lock held.
 * Anything that changes metadata (allocation, subclusters becoming allocated, copy-on-write,
 * discard, resize) holds one allocation lock; an allocating write holds it only to choose its
 * cluster and to link it (or to set its subclusters' bits), not while it copies and writes the
 * data; writes to a cluster being set up that way wait for it. Clusters freed while the device is
 * open are reused only once no I/O that might still hold their address is in flight: every
 * operation holds the shared side of a read-write "gate", and the rare step that releases freed
 * clusters for reuse takes its exclusive side, between operations.
 *
 * <h2>Crash safety</h2>
 * An allocating write writes its data first (into a new cluster: the subclusters it touches and
 * what the old cluster had allocated, the partial ones filled from what was there: backing image,
 * compressed or shared cluster, zeros), then raises the new cluster's refcount (chosen and counted
 * before the data is written, in fact), then sets the L2 entry; a write into unallocated
 * subclusters of a cluster the image owns writes the data, then sets their bits in the entry (one
 * 16-byte write, in one sector). A new L2 table is written and counted before the L1 entry points
 * to it. A process killed at any point (SIGKILL) leaves at worst leaked clusters, never a reference
 * to a cluster counted 0 or to unwritten data. Clusters dropped (discard, shrink, copy-on-write) lose their
 * reference before their refcount, subclusters discarded lose their bits before their bytes are punched. A snapshot operation changes refcounts and "copied" flags of
 * many clusters at once, which no order of single writes keeps consistent for {@code qemu-img check};
 * so it writes every changed table anew in free clusters and switches to them with one header write
 * (see {@code switchMetadata}): a crash leaves the old state or the new one, never a mix. Writes go to the page cache in that order, which survives the
 * process being killed; {@link #flush} forces them to the disk, and only flushed writes are durable
 * against a power loss (as for any disk with a volatile write cache). The order itself does not
 * survive a power loss: the kernel may write the pages in any order, and there is no fsync per
 * allocation. So after a power loss an allocating write not yet flushed may have its new cluster or
 * subclusters linked (L2 entry and refcount on disk) before its data reached the disk: they then read
 * as zeros (or, in a subcluster discarded earlier where the file system could not punch a hole, its
 * older bytes), also the part that came from the backing image, until written again. Flushed
 * writes are never affected. Clusters freed (discard, copy-on-write) are forced to disk as freed
 * before they are handed out again, so a power loss never leaves an old entry pointing at another
 * block's new data.
 *
 * <p>While open read-write the header's "dirty" bit is set (and cleared by {@link #close}); an
 * image opened read-write with that bit set was not closed cleanly, so its refcounts are recomputed
 * from the header, L1/L2, refcount and snapshot tables and the leaks given back (what QEMU also
 * does for a dirty image). Unknown autoclear feature bits are cleared, as the format asks of a
 * writer that does not maintain them.
 *
 * <h2>Memory</h2>
 * Per open image: the active L1 table, 8 bytes per L2 table, that is 16 KiB per TiB of virtual
 * size with 64 KiB standard clusters and 8 KiB per TiB with 128 KiB extended ones (the L1 growing
 * as 1/cluster²: 64 MiB per TiB with 4 KiB standard clusters). L2 tables take 128 MiB per TiB of
 * virtual size at 64 KiB standard clusters, and the same at 128 KiB clusters with extended L2
 * entries (twice the bytes per entry, half the entries); of them at most 4 MiB are cached (32 GiB of
 * virtual disk either way), and at most 1 MiB of refcount blocks (at least 4 of each), for any size;
 * a cluster-sized buffer per allocating write in flight (up to 16 kept for reuse). Fixed, not per TiB:
 * about 6 MiB (7 MiB with 128 KiB clusters: larger buffers) plus the L1's 8 or 16 KiB per TiB. The refcount repair
 * of a dirty image holds 4 bytes per host cluster while it runs (64 MiB per TiB of image file at
 * 64 KiB clusters, 32 MiB at 128 KiB).
 */
public final class Qcow2BlockDevice implements BlockDevice {
    private static final Logger log = LoggerFactory.getLogger(Qcow2BlockDevice.class);

    /** The cluster size of the images Netroot creates ({@link ClusterLayout#EXTENDED}). */
    public static final int DEFAULT_CLUSTER_SIZE = ClusterLayout.EXTENDED.clusterSize();
    static final int L2_CACHE_BYTES = 4 << 20;
    static final int REFCOUNT_CACHE_BYTES = 1 << 20;
    static final int MAX_CHAIN_DEPTH = 16;
    private static final int MAX_L1_BYTES = 32 << 20;

    private record L1Table(long offset, AtomicLongArray entries) {
        int size() {
            return entries.length();
        }
    }

    private final Path file;
    private final HostFile host;
    private final boolean readOnly;
    private final int clusterBits;
    private final int clusterSize;
    private final L2Layout layout;
    /** Subcluster size: the cluster's with standard L2 entries, 1/32 of it with extended ones. */
    private final int subclusterBits;
    private final int subclusterSize;
    private final int l2Entries;
    /** 64-bit words per L2 table (one cluster), whatever the entry size. */
    private final int l2Words;
    private final L2Cache l2Cache;
    private final BlockDevice backing;
    private final long backingSize;
    private final FileHoles holes;
    /** Replaced when a snapshot operation switches the image to a new refcount table; allocLock guards it. */
    private volatile ClusterAllocator alloc;
    private final ReentrantLock allocLock = new ReentrantLock();
    private final ReentrantLock resizeLock = new ReentrantLock();
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private volatile Qcow2Header header;
    private volatile L1Table l1;
    private volatile long size;
    private volatile boolean closed;
    /**
     * The first error of a metadata write or a force: the disk may then disagree with the tables in
     * memory, so nothing more is read or written through them. The dirty bit stays set, and the next
     * open repairs the refcounts from what the disk holds.
     */
    private volatile IOException failure;
    /** Whole-cluster direct buffers for allocating writes (no copy through a temporary one per read and write), reused (at most {@link #SPARE_BUFFERS} kept). */
    private final java.util.concurrent.ConcurrentLinkedQueue<ByteBuffer> clusterBuffers = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private static final int SPARE_BUFFERS = 16;
    /** Virtual clusters whose new host cluster is being filled outside allocLock; a second writer waits for the first. */
    private final java.util.concurrent.ConcurrentHashMap<Long, CountDownLatch> filling = new java.util.concurrent.ConcurrentHashMap<>();

    private Qcow2BlockDevice(Path file, FileChannel channel, Qcow2Header h, BlockDevice backing, boolean readOnly) throws IOException {
        this.file = file;
        this.host = new HostFile(channel);
        this.readOnly = readOnly;
        this.header = h;
        this.clusterBits = h.clusterBits();
        this.clusterSize = h.clusterSize();
        this.layout = L2Layout.of(h);
        this.subclusterBits = clusterBits - Integer.numberOfTrailingZeros(layout.subclusters);
        this.subclusterSize = 1 << subclusterBits;
        this.l2Entries = h.l2Entries();
        this.l2Words = clusterSize / 8;
        this.size = h.size();
        this.backing = backing;
        this.backingSize = backing == null ? 0 : backing.sizeBytes();
        this.l1 = new L1Table(h.l1TableOffset(), new AtomicLongArray(host.readLongs(h.l1TableOffset(), h.l1Size())));
        long fileSize = host.size();
        this.l2Cache = new L2Cache(Math.max(4, L2_CACHE_BYTES / clusterSize), layout, off -> {
            if ((off & (clusterSize - 1)) != 0 || off + clusterSize > Math.max(fileSize, host.size())) {
                throw new IOException(file + ": qcow2 L2 table at " + off + " lies outside the file (the image is corrupt)");
            }
            return host.readLongs(off, l2Words);
        });
        if (readOnly) {
            this.holes = null;
            this.alloc = null;
        } else {
            FileHoles opened = FileHoles.open(file, channel);
            try {
                this.alloc = new ClusterAllocator(host, this::punch, h, Math.max(4, REFCOUNT_CACHE_BYTES / clusterSize), this::refcountTableMoved);
            } catch (IOException | RuntimeException e) {
                opened.close(); // a native descriptor: nothing else would close it
                throw e;
            }
            this.holes = opened;
        }
    }

    // ---------------------------------------------------------------- create and open

    /**
     * Creates a v3 image as Netroot makes them: 128 KiB clusters with extended L2 entries (32
     * subclusters of 4 KiB, {@link ClusterLayout#EXTENDED}), what QEMU advises for overlays: a 4 KiB
     * write allocates 4 KiB, copying nothing from the backing image. See
     * {@link #create(Path, long, Optional, ClusterLayout)}.
     */
    public static void create(Path file, long virtualSize, Optional<BackingFile> backing) throws IOException {
        create(file, virtualSize, backing, ClusterLayout.EXTENDED);
    }

    /**
     * Writes a new qcow2 v3 image (refcount order 4, as qemu-img makes them) of {@code virtualSize}
     * bytes (a multiple of 512) with the clusters of {@code layout}; the file must not exist. A
     * backing file's path is kept as given: relative to the new image's folder, or absolute. The
     * backing image is opened once, read-only, to check that it is there and of the format named.
     */
    public static void create(Path file, long virtualSize, Optional<BackingFile> backing, ClusterLayout layout) throws IOException {
        if (virtualSize <= 0 || virtualSize % BLOCK_SIZE != 0) {
            throw new IllegalArgumentException("a volume's size is a positive multiple of 512 bytes, got " + virtualSize);
        }
        int clusterSize = layout.clusterSize();
        int bits = Integer.numberOfTrailingZeros(clusterSize);
        long l1Size = Qcow2Header.ceilDiv(virtualSize, (long) clusterSize * layout.l2Entries());
        if (l1Size * 8 > MAX_L1_BYTES) {
            throw new IllegalArgumentException(virtualSize + " bytes need an L1 table over 32 MiB at " + clusterSize + "-byte clusters: use larger clusters");
        }
        if (backing.isPresent()) {
            Path b = resolveBacking(file, backing.get().path());
            try (BlockDevice probe = openBacking(b, backing.get().format().headerName(), 0)) {
                probe.sizeBytes();
            }
        }
        long l1Clusters = Math.max(1, Qcow2Header.ceilDiv(l1Size * 8, clusterSize));
        int perBlock = RefcountCodec.entriesPerBlock(clusterSize, 4);
        long blocks = 1;
        long tableClusters = 1;
        for (int i = 0; i < 16; i++) { // the metadata must be counted by blocks that are themselves metadata
            long total = 1 + tableClusters + blocks + l1Clusters;
            blocks = Qcow2Header.ceilDiv(total, perBlock);
            tableClusters = Qcow2Header.ceilDiv(blocks * 8, clusterSize);
        }
        long total = 1 + tableClusters + blocks + l1Clusters;
        long rtOffset = (long) clusterSize;
        long blocksOffset = rtOffset + tableClusters * clusterSize;
        long l1Offset = blocksOffset + blocks * clusterSize;
        Qcow2Header h = new Qcow2Header(3, bits, virtualSize, (int) l1Size, l1Offset, rtOffset, (int) tableClusters, 0, 0,
                layout.extendedL2() ? Qcow2Header.INCOMPAT_EXTENDED_L2 : 0, 0, 0, 4, backing.map(BackingFile::path),
                backing.map(b -> b.format().headerName()), java.util.List.of());
        long[] table = new long[(int) (tableClusters * clusterSize / 8)];
        for (int i = 0; i < blocks; i++) table[i] = blocksOffset + (long) i * clusterSize;
        byte[] blockBytes = new byte[(int) (blocks * clusterSize)];
        for (int c = 0; c < total; c++) {
            RefcountCodec.set(blockBytes, c, 4, 1); // blocks are consecutive: entry c of the run is cluster c
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            try {
                HostFile f = new HostFile(ch);
                f.write(0, h.encode());
                f.write(rtOffset, HostFile.encodeLongs(table, (int) (tableClusters * clusterSize)));
                f.write(blocksOffset, blockBytes);
                f.write(l1Offset, new byte[(int) (l1Clusters * clusterSize)]);
                f.force();
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file); // no half-written image left behind
                throw e;
            }
        }
    }

    /**
     * The internal snapshots of the image at {@code file}, read from its header and snapshot table
     * only (no backing chain opened, nothing repaired, nothing written): for listings.
     */
    public static List<SnapshotInfo> snapshotsOf(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            HostFile host = new HostFile(ch);
            ByteBuffer start = ByteBuffer.allocate((int) Math.min(fileSize, 512));
            host.read(0, start);
            int bits = Qcow2Header.peekClusterBits(start.flip());
            Qcow2Header h = Qcow2Header.decode(host.readBytes(0, (int) Math.min(fileSize, 1 << bits)), fileSize);
            return SnapshotTable.read(host, h).entries().stream().map(SnapshotTable.Entry::info).toList();
        } catch (IOException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Opens an image made by Netroot or qemu-img; its backing chain is opened read-only. */
    public static Qcow2BlockDevice open(Path file, boolean readOnly) throws IOException {
        return open(file, readOnly, 0);
    }

    private static Qcow2BlockDevice open(Path file, boolean readOnly, int depth) throws IOException {
        FileChannel ch = readOnly
                ? FileChannel.open(file, StandardOpenOption.READ)
                : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        BlockDevice backing = null;
        try {
            long fileSize = ch.size();
            Qcow2Header h;
            try {
                ByteBuffer start = ByteBuffer.allocate((int) Math.min(fileSize, 512));
                new HostFile(ch).read(0, start);
                int bits = Qcow2Header.peekClusterBits(start.flip());
                h = Qcow2Header.decode(new HostFile(ch).readBytes(0, (int) Math.min(fileSize, 1 << bits)), fileSize);
            } catch (IOException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
            if (!readOnly && h.version() == 2) {
                throw new IOException(file + ": qcow2 version 2 images open read-only here; upgrade it with `qemu-img amend -f qcow2 -o compat=1.1 " + file + "`");
            }
            if (h.backingFile().isPresent()) {
                if (depth >= MAX_CHAIN_DEPTH) throw new IOException(file + ": backing chain deeper than " + MAX_CHAIN_DEPTH + " images (a loop?)");
                String name = h.backingFile().get();
                // never guessed from content: a raw image whose first sector a client wrote as a
                // qcow2 header would otherwise open whatever file that header names
                String format = h.backingFormat().orElseThrow(() -> new IOException(file + " names its backing file " + name
                        + " without a format: set it with `qemu-img rebase -u -b " + name + " -F raw|qcow2 " + file + "`"));
                backing = openBacking(resolveBacking(file, name), format, depth + 1);
            }
            Qcow2BlockDevice d = new Qcow2BlockDevice(file, ch, h, backing, readOnly);
            if (!readOnly) {
                try {
                    d.openForWriting();
                } catch (IOException | RuntimeException e) {
                    d.holes.close(); // the channel and the backing chain are closed below
                    throw e;
                }
            }
            return d;
        } catch (IOException | RuntimeException e) {
            if (backing != null) backing.close();
            ch.close();
            throw e;
        }
    }

    /**
     * The backing file {@code name} of {@code image} (relative to the image's folder, or absolute),
     * resolved to its real path (symlinks followed). It must lie in the image's folder or below it:
     * the name is data a client may have written (a raw golden image's first sector), and it must
     * not reach the server's own files.
     */
    static Path resolveBacking(Path image, String name) throws IOException {
        Path folder = image.toAbsolutePath().getParent();
        Path named;
        try {
            named = folder.resolve(name);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IOException(image + " names a backing file that is not a valid path: " + name, e);
        }
        Path real;
        try {
            real = named.toRealPath();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("backing file " + named + " of " + image + " is missing: put it back or point the image at another one", e);
        }
        Path realFolder = folder.toRealPath();
        if (!real.startsWith(realFolder)) {
            throw new IOException(image + " names the backing file " + name + ", which is outside its folder " + realFolder
                    + " (it resolves to " + real + "): a backing file must be in the image's folder or below it; copy it there and set the name with `qemu-img rebase -u -b NEWNAME -F raw|qcow2 " + image + "`");
        }
        if (!Files.isRegularFile(real)) throw new IOException(image + " names the backing file " + name + ", which is not a regular file");
        return real;
    }

    private static BlockDevice openBacking(Path file, String format, int depth) throws IOException {
        return switch (format) {
            case "raw" -> RawFileBlockDevice.open(file, true);
            case "qcow2" -> open(file, true, depth);
            default -> throw new IOException("backing file " + file + " has format " + format + ", not supported (raw and qcow2 are)");
        };
    }

    /** Repairs refcounts after an unclean close, then marks the image dirty until {@link #close}. */
    private void openForWriting() throws IOException {
        Qcow2Header h = header;
        if (h.dirty()) {
            long[] fixed = repairRefcounts();
            log.info("{}: not closed cleanly; refcounts rebuilt ({} leaked clusters freed, {} counted too low)", file, fixed[0], fixed[1]);
        }
        header = h.withIncompatibleFeatures(h.incompatibleFeatures() | Qcow2Header.INCOMPAT_DIRTY);
        host.writeLong(Qcow2Header.OFFSET_INCOMPATIBLE, header.incompatibleFeatures());
        if (h.version() == 3 && h.autoclearFeatures() != 0) host.writeLong(Qcow2Header.OFFSET_AUTOCLEAR, 0);
        host.force();
    }

    // ---------------------------------------------------------------- BlockDevice

    @Override
    public long sizeBytes() {
        return size;
    }

    @Override
    public boolean readOnly() {
        return readOnly;
    }

    /** The image file's allocated bytes on the host (st_blocks, as du counts), not the virtual size. */
    @Override
    public long allocatedBytes() {
        return FileHoles.allocatedBytes(file);
    }

    public Path file() {
        return file;
    }

    public int clusterSize() {
        return clusterSize;
    }

    /** Whether the image has extended L2 entries (32 subclusters per cluster). */
    public boolean extendedL2() {
        return layout == L2Layout.EXTENDED;
    }

    /** The unit a write allocates: the cluster, or 1/32 of it with extended L2 entries. */
    public int subclusterSize() {
        return subclusterSize;
    }

    /**
     * Only whole subclusters give their space back (whole clusters, or with extended L2 entries
     * also 1/32 of one); the partial ones at a discard's ends are written with zeros.
     */
    @Override
    public int discardGranularityBytes() {
        return subclusterSize;
    }

    @Override
    public void read(long offset, ByteBuffer dst) throws IOException {
        checkRange(offset, dst.remaining());
        gate.readLock().lock();
        try {
            while (dst.hasRemaining()) {
                long vc = offset >>> clusterBits;
                int in = (int) (offset & (clusterSize - 1));
                ClusterMapping m = lookup(vc);
                int n;
                if (m.compressed()) {
                    n = Math.min(clusterSize - in, dst.remaining());
                    dst.put(dst.position(), decompress(m.word()), in, n);
                } else {
                    // a run read with one call: subclusters that read the same way, on into the next
                    // clusters while they continue it (contiguous host clusters, or unallocated or zero ones)
                    L2Entry.Kind kind = m.kind(in >>> subclusterBits);
                    long hostStart = kind == L2Entry.Kind.NORMAL ? m.hostOffset() + in : 0;
                    n = Math.min(sameKindFrom(m, in >>> subclusterBits, kind) - in, dst.remaining());
                    while (n < dst.remaining() && ((offset + n) & (clusterSize - 1)) == 0) {
                        ClusterMapping next = lookup((offset + n) >>> clusterBits);
                        if (next.compressed() || next.kind(0) != kind) break;
                        if (kind == L2Entry.Kind.NORMAL && next.hostOffset() != hostStart + n) break;
                        n += Math.min(sameKindFrom(next, 0, kind), dst.remaining() - n);
                    }
                    ByteBuffer piece = dst.slice(dst.position(), n);
                    switch (kind) {
                        case NORMAL -> host.read(hostStart, piece);
                        case ZERO -> fillZeros(piece);
                        case UNALLOCATED -> readBacking(offset, piece);
                        case COMPRESSED -> throw new IllegalStateException();
                    }
                }
                dst.position(dst.position() + n);
                offset += n;
            }
        } finally {
            gate.readLock().unlock();
        }
    }

    /** The byte offset in the cluster where the run of subclusters of {@code kind} from subcluster {@code s} ends. */
    private int sameKindFrom(ClusterMapping m, int s, L2Entry.Kind kind) {
        while (s < layout.subclusters && m.kind(s) == kind) s++;
        return s << subclusterBits;
    }

    @Override
    public void write(long offset, ByteBuffer src) throws IOException {
        if (readOnly) throw new IOException("volume is read-only");
        checkRange(offset, src.remaining());
        reuseFreedClusters();
        gate.readLock().lock();
        try {
            writeLocked(offset, src);
        } catch (IOException e) {
            throw DiskFullException.classify(file, e);
        } finally {
            gate.readLock().unlock();
        }
    }

    private void writeLocked(long offset, ByteBuffer src) throws IOException {
        while (src.hasRemaining()) {
            long vc = offset >>> clusterBits;
            int in = (int) (offset & (clusterSize - 1));
            int n = Math.min(clusterSize - in, src.remaining());
            ByteBuffer piece = src.slice(src.position(), n);
            ClusterMapping m = lookup(vc);
            if (writableInPlace(m, touched(in, n))) {
                host.write(m.hostOffset() + in, piece);
            } else {
                allocatingWrite(vc, in, piece);
            }
            src.position(src.position() + n);
            offset += n;
        }
    }

    @Override
    public void flush() throws IOException {
        checkUsable();
        reuseFreedClusters();
        try {
            host.force();
        } catch (IOException e) {
            // the page cache may have dropped what failed: what the disk holds is unknown until a reopen repairs it
            throw DiskFullException.classify(file, failed(e)); // NFS and thin-provisioned LVM report ENOSPC at fsync
        }
    }

    /**
     * Whole clusters become unallocated (or "reads as zeros" where a backing image would otherwise
     * show through); a host cluster no longer used gives its space back (a punched hole). The
     * partial clusters at either end are written with zeros.
     */
    @Override
    public void discard(long offset, long length) throws IOException {
        if (readOnly) throw new IOException("volume is read-only");
        long s = size;
        if (length < 0 || offset < 0 || offset > s || length > s - offset) {
            throw new IOException("discard at " + offset + "+" + length + " outside the " + s + "-byte volume");
        }
        checkUsable();
        gate.readLock().lock();
        try {
            zeroRange(offset, offset + length); // partial clusters at the ends are written: may need space
        } catch (IOException e) {
            throw DiskFullException.classify(file, e);
        } finally {
            gate.readLock().unlock();
        }
    }

    /**
     * Growing adds clusters that read as zeros (marked zero where a longer backing image would show
     * through); the L1 table grows when needed, written in a new place before the header points to
     * it. Shrinking drops every cluster past the new end.
     */
    @Override
    public void resize(long newSize) throws IOException {
        if (readOnly) throw new IOException("volume is read-only");
        if (newSize <= 0 || newSize % BLOCK_SIZE != 0) {
            throw new IllegalArgumentException("a volume's size is a positive multiple of 512 bytes, got " + newSize);
        }
        checkUsable();
        gate.readLock().lock();
        resizeLock.lock(); // one resize at a time; allocLock only around metadata, never around the zero writes
        try {
            checkUsable();
            long old = size;
            if (newSize == old) return;
            if (newSize < old) {
                zeroRange(newSize, Math.min(old, Qcow2Header.ceilDiv(newSize, clusterSize) * clusterSize)); // the tail of the last cluster
                allocLock.lock();
                try {
                    checkUsable();
                    size = newSize; // stop accesses past the new end first
                    dropClustersFrom(Qcow2Header.ceilDiv(newSize, clusterSize));
                    writeSize(newSize);
                } catch (IOException e) {
                    throw failed(e);
                } finally {
                    allocLock.unlock();
                }
            } else {
                allocLock.lock();
                try {
                    checkUsable();
                    long needL1 = Qcow2Header.ceilDiv(newSize, (long) clusterSize * l2Entries);
                    if (needL1 > l1.size()) growL1((int) needL1);
                } catch (IOException e) {
                    throw failed(e);
                } finally {
                    allocLock.unlock();
                }
                // the new area is marked zero where a longer backing image would show through before the
                // size says it exists: the size on disk never reaches an area that shows backing data
                if (backing != null && backingSize > old) zeroRange(old, Math.min(newSize, backingSize));
                allocLock.lock();
                try {
                    checkUsable();
                    writeSize(newSize);
                    size = newSize;
                } catch (IOException e) {
                    throw failed(e);
                } finally {
                    allocLock.unlock();
                }
            }
        } finally {
            resizeLock.unlock();
            gate.readLock().unlock();
        }
    }

    /** Flushes, clears the dirty bit (the image was closed cleanly) and closes the backing chain. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        gate.writeLock().lock();
        try {
            if (closed) return;
            closed = true;
            try {
                if (!readOnly && failure == null) { // after a failed metadata write the dirty bit stays: the next open repairs
                    host.force();
                    header = header.withIncompatibleFeatures(header.incompatibleFeatures() & ~Qcow2Header.INCOMPAT_DIRTY);
                    host.writeLong(Qcow2Header.OFFSET_INCOMPATIBLE, header.incompatibleFeatures());
                    host.force();
                }
            } finally {
                if (holes != null) holes.close();
                host.channel.close();
                if (backing != null) backing.close();
            }
        } finally {
            gate.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- lookups

    /**
     * The mapping of virtual cluster {@code vc}, unallocated when it has no L2 table. When the L2
     * table itself is shared (its L1 entry lacks "copied"), the entry's own "copied" flag is dropped
     * so that no caller writes through it in place.
     */
    private ClusterMapping lookup(long vc) throws IOException {
        L1Table t = l1;
        long i = vc / l2Entries;
        if (i >= t.size()) return ClusterMapping.UNALLOCATED;
        long l1e = t.entries().get((int) i);
        long l2 = l1e & L2Entry.OFFSET_MASK;
        if (l2 == 0) return ClusterMapping.UNALLOCATED;
        ClusterMapping m = l2Cache.entry(l2, (int) (vc % l2Entries));
        return L2Entry.copied(l1e) ? m : m.notCopied();
    }

    /** The subclusters bytes {@code [in, in + n)} of a cluster touch ({@code n > 0}). */
    private int touched(int in, int n) {
        return ClusterMapping.bits(in >>> subclusterBits, (in + n - 1) >>> subclusterBits);
    }

    /** Owned by this image alone, and every subcluster {@code touched} allocated: a write goes in place. */
    private static boolean writableInPlace(ClusterMapping m, int touched) {
        return m.owned() && (m.allocated() & touched) == touched;
    }

    private void readBacking(long offset, ByteBuffer piece) throws IOException {
        if (backing == null || offset >= backingSize) {
            fillZeros(piece);
            return;
        }
        int fromBacking = (int) Math.min(piece.remaining(), backingSize - offset);
        ByteBuffer b = piece.slice(piece.position(), fromBacking);
        backing.read(offset, b);
        piece.position(piece.position() + fromBacking);
        fillZeros(piece);
    }

    private static void fillZeros(ByteBuffer b) {
        while (b.remaining() >= 8) b.putLong(0);
        while (b.hasRemaining()) b.put((byte) 0);
    }

    private byte[] decompress(long entry) throws IOException {
        long at = L2Entry.compressedOffset(entry, clusterBits);
        int length = L2Entry.compressedLength(entry, clusterBits);
        byte[] in = host.readBytes(at, length);
        byte[] out = new byte[clusterSize];
        Inflater inflater = new Inflater(true); // raw deflate, no zlib header (qcow2.txt, compression type 0)
        try {
            inflater.setInput(in);
            int n = 0;
            while (n < clusterSize && !inflater.finished()) {
                int got = inflater.inflate(out, n, clusterSize - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
                n += got;
            }
            if (n != clusterSize) throw new IOException(file + ": compressed cluster at " + at + " inflates to " + n + " bytes, not " + clusterSize);
            return out;
        } catch (DataFormatException e) {
            throw new IOException(file + ": compressed cluster at " + at + " is not valid deflate data: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private void checkRange(long offset, int length) throws IOException {
        checkUsable();
        long s = size;
        if (offset < 0 || length < 0 || offset + length > s) {
            throw new IOException("access at " + offset + "+" + length + " outside the " + s + "-byte volume");
        }
    }

    /** Closed, or failed in a metadata write ({@link #failure}): no operation acts on the tables in memory. */
    private void checkUsable() throws IOException {
        if (closed) throw new IOException(file + " is closed");
        IOException f = failure;
        if (f != null) {
            throw new IOException("volume " + file + " hit a write error in its metadata; it is repaired when opened again"
                    + " (stop what uses it and open it again: " + f.getMessage() + ")", f);
        }
    }

    /** Records a metadata write or force that failed (see {@link #failure}); returns {@code e} to throw. */
    private IOException failed(IOException e) {
        if (failure == null) {
            failure = e;
            log.error("{}: a metadata write failed ({}); no more I/O until it is opened again, which repairs it", file, e.toString());
        }
        return e;
    }

    private void punch(long offset, long length) throws IOException {
        HostFile.Faults f = host.faults;
        if (f != null) f.beforePunch(offset, length);
        holes.punch(offset, length);
    }

    /** For failure injection in tests. */
    HostFile hostFile() {
        return host;
    }

    // ---------------------------------------------------------------- allocation (allocLock held)

    /**
     * Writes {@code piece} at {@code in} within virtual cluster {@code vc}, where it cannot simply go
     * in place: the cluster is not this image's alone, or a subcluster the write touches is not
     * allocated yet. Under allocLock the entry is read again and {@code vc} marked as being filled
     * ({@link #filling}): a second writer to it waits for the first, then looks again. Then, without
     * the lock, so that allocating writes to different clusters copy their data in parallel:
     * <ul>
     * <li>into a host cluster this image owns whose touched subclusters are unallocated or zero
     *     (extended L2 entries; or qemu's preallocated zero clusters) the data goes in place,
     *     partial subclusters at its ends filled from what they read (backing image, zeros); then,
     *     under allocLock, the entry marks those subclusters allocated ({@link #fillOwned});</li>
     * <li>else a new host cluster, chosen and counted under allocLock (a crash from here on leaks it
     *     at worst), gets what the write touches and every subcluster the old cluster had allocated
     *     (a shared or compressed cluster is copied whole); then, under allocLock again, the L2 entry
     *     points to it and the cluster it replaces loses its reference last ({@link #fillNew}).</li>
     * </ul>
     */
    private void allocatingWrite(long vc, int in, ByteBuffer piece) throws IOException {
        if (allocLock.isHeldByCurrentThread()) throw new IllegalStateException("allocating write under allocLock");
        int touched = touched(in, piece.remaining());
        while (true) {
            CountDownLatch other;
            CountDownLatch mine = null;
            ClusterMapping m = null;
            long c = -1;
            allocLock.lock();
            try {
                checkUsable();
                other = filling.get(vc);
                if (other == null) {
                    m = l2Cache.entry(writableL2((int) (vc / l2Entries)), (int) (vc % l2Entries));
                    if (!writableInPlace(m, touched)) { // else another writer allocated it meanwhile
                        if (!m.owned()) {
                            c = alloc.allocate();
                            alloc.increment(c);
                        }
                        mine = new CountDownLatch(1);
                        filling.put(vc, mine);
                    }
                }
            } catch (IOException e) {
                throw failed(e);
            } finally {
                allocLock.unlock();
            }
            if (other != null) {
                try {
                    other.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while another write filled the same cluster");
                }
                continue;
            }
            if (mine == null) {
                host.write(m.hostOffset() + in, piece);
                return;
            }
            try {
                if (c < 0) {
                    if (!fillOwned(vc, m, in, piece, touched)) continue; // the cluster was taken meanwhile: look again
                } else {
                    fillNew(vc, m, in, piece, touched, c);
                }
            } finally {
                filling.remove(vc);
                mine.countDown();
            }
            return;
        }
    }

    /**
     * Writes {@code piece} into the host cluster of {@code m}, which this image owns, where some
     * subclusters it touches are not allocated: the partial ones at its ends are filled from what they
     * read (backing image, zeros); allocated ones are not written beyond the piece (a writer in place
     * may be writing the rest). Then the entry marks them allocated (data first, then the L2 entry: a
     * crash in between leaves them reading as before). False when a discard or shrink took the
     * cluster meanwhile (the data went to a cluster no longer used, which the gate keeps from being
     * reused while this write runs): the caller starts again.
     */
    private boolean fillOwned(long vc, ClusterMapping m, int in, ByteBuffer piece, int touched) throws IOException {
        int n = piece.remaining();
        int first = in >>> subclusterBits;
        int last = (in + n - 1) >>> subclusterBits;
        int from = (m.allocated() >>> first & 1) != 0 ? in : first << subclusterBits;
        int to = (m.allocated() >>> last & 1) != 0 ? in + n : (last + 1) << subclusterBits;
        ByteBuffer cluster = takeBuffer();
        try {
            readMapped(vc, m, from, in, cluster);
            readMapped(vc, m, in + n, to, cluster);
            cluster.put(in, piece, piece.position(), n);
            host.write(m.hostOffset() + from, cluster.slice(from, to - from));
        } finally {
            giveBack(cluster);
        }
        int l2Index = (int) (vc % l2Entries);
        allocLock.lock();
        try {
            checkUsable();
            long l2 = writableL2((int) (vc / l2Entries));
            ClusterMapping now = l2Cache.entry(l2, l2Index);
            if (!now.owned() || now.hostOffset() != m.hostOffset()) return false;
            l2Cache.update(l2, l2Index, now.withSubclusters(now.allocated() | touched, now.zeros() & ~touched), this::writeTableEntry);
            return true;
        } catch (IOException e) {
            throw failed(e);
        } finally {
            allocLock.unlock();
        }
    }

    /**
     * Writes {@code piece} into the new host cluster {@code c} (counted already) in place of what
     * {@code m} maps: the subclusters it touches, the partial ones filled from what they read, and
     * every subcluster {@code m} had allocated, copied; a compressed cluster becomes a whole
     * allocated one. Subclusters neither allocated nor touched are not written: they stay unallocated
     * or zero (with standard L2 entries there is one subcluster, so the whole cluster is written).
     * Then the L2 entry points to {@code c}, and the cluster it replaces loses its reference.
     */
    private void fillNew(long vc, ClusterMapping m, int in, ByteBuffer piece, int touched, long c) throws IOException {
        int n = piece.remaining();
        int allocated = m.compressed() ? layout.all() : m.allocated() | touched;
        int zeros = m.compressed() ? 0 : m.zeros() & ~touched;
        boolean linked = false;
        try {
            ByteBuffer cluster = takeBuffer();
            try {
                if (m.compressed()) cluster.put(0, decompress(m.word()));
                for (int a = 0, rest = allocated; rest != 0; ) { // each run of allocated subclusters
                    a = Integer.numberOfTrailingZeros(rest);
                    int b = Math.min(layout.subclusters, a + Integer.numberOfTrailingZeros(~(rest >>> a)));
                    rest &= ~ClusterMapping.bits(a, b - 1);
                    int start = a << subclusterBits;
                    int end = b << subclusterBits;
                    if (!m.compressed()) {
                        readMapped(vc, m, start, Math.min(end, in), cluster);
                        readMapped(vc, m, Math.max(start, in + n), end, cluster);
                    }
                    if (start < in + n && in < end) {
                        int s = Math.max(start, in);
                        cluster.put(s, piece, piece.position() + s - in, Math.min(end, in + n) - s);
                    }
                    host.write((c << clusterBits) + start, cluster.slice(start, end - start));
                }
            } finally {
                giveBack(cluster);
            }
            int l2Index = (int) (vc % l2Entries);
            allocLock.lock();
            try {
                checkUsable();
                long l2 = writableL2((int) (vc / l2Entries));
                ClusterMapping current = l2Cache.entry(l2, l2Index); // what a discard meanwhile left, if any
                ClusterMapping mine = new ClusterMapping(L2Entry.normal(c << clusterBits, true), ClusterMapping.bitmap(allocated, zeros));
                l2Cache.update(l2, l2Index, mine, this::writeTableEntry);
                linked = true;
                release(current.word());
            } catch (IOException e) {
                throw failed(e);
            } finally {
                allocLock.unlock();
            }
        } finally {
            if (!linked && failure == null) { // failed: the disk may link it after all; the reopen's repair counts it
                allocLock.lock();
                try {
                    alloc.decrement(c); // the data write failed: the cluster goes back
                } catch (IOException e) {
                    throw failed(e);
                } finally {
                    allocLock.unlock();
                }
            }
        }
    }

    private ByteBuffer takeBuffer() {
        ByteBuffer b = clusterBuffers.poll();
        return (b != null ? b : ByteBuffer.allocateDirect(clusterSize)).clear();
    }

    private void giveBack(ByteBuffer b) {
        if (clusterBuffers.size() < SPARE_BUFFERS) clusterBuffers.offer(b);
    }

    /**
     * Bytes {@code [from, to)} of virtual cluster {@code vc} as {@code m} (not compressed) maps them,
     * into {@code cluster} at the same offsets: what a partial write does not cover.
     */
    private void readMapped(long vc, ClusterMapping m, int from, int to, ByteBuffer cluster) throws IOException {
        long start = vc << clusterBits;
        while (from < to) {
            L2Entry.Kind kind = m.kind(from >>> subclusterBits);
            int end = Math.min(to, sameKindFrom(m, from >>> subclusterBits, kind));
            ByteBuffer part = cluster.slice(from, end - from);
            switch (kind) {
                case NORMAL -> host.read(m.hostOffset() + from, part);
                case ZERO -> fillZeros(part);
                case UNALLOCATED -> {
                    int inside = (int) Math.max(0, Math.min(end - from, size - (start + from))); // past the virtual end stays zero
                    readBacking(start + from, part.slice(0, inside));
                    fillZeros(part.position(inside));
                }
                case COMPRESSED -> throw new IllegalStateException("a compressed cluster is read whole");
            }
            from = end;
        }
    }

    /** Drops the references an L2 entry's word held (after the entry itself no longer holds them). */
    private void release(long word) throws IOException {
        if ((word & L2Entry.COMPRESSED) != 0) {
            long at = L2Entry.compressedOffset(word, clusterBits) & ~511L;
            long end = (L2Entry.compressedOffset(word, clusterBits) + L2Entry.compressedLength(word, clusterBits) - 1) >>> clusterBits;
            for (long c = at >>> clusterBits; c <= end; c++) alloc.decrement(c);
        } else {
            long h = L2Entry.hostOffset(word);
            if (h != 0) alloc.decrement(h >>> clusterBits);
        }
    }

    /**
     * The L2 table of L1 entry {@code i}, made this image's own: a new zeroed table when there is
     * none, a copy when it is shared with a snapshot. The
     * table is written and counted before the L1 entry points to it.
     */
    private long writableL2(int i) throws IOException {
        L1Table t = l1;
        long l1e = t.entries().get(i);
        long old = l1e & L2Entry.OFFSET_MASK;
        if (old != 0 && L2Entry.copied(l1e)) return old;
        long[] words = new long[l2Words];
        if (old != 0) {
            // A data cluster counts one reference per L1 table that reaches them (as QEMU counts them),
            // so moving the active L1's path from the shared table to its copy leaves those counts
            // as they are: still shared with the snapshot, so not "copied" (a flag of the entry's
            // first word only: an extended entry's second word is its bitmap).
            long[] shared = l2Cache.words(old);
            for (int k = 0; k < l2Words; k++) words[k] = k % layout.words == 0 ? shared[k] & ~L2Entry.COPIED : shared[k];
        }
        long c = alloc.allocate();
        long offset = c << clusterBits;
        host.write(offset, HostFile.encodeLongs(words, clusterSize));
        alloc.increment(c);
        host.writeLong(t.offset() + 8L * i, L2Entry.normal(offset, true)); // on disk before lookups see it
        l2Cache.install(offset, words);
        t.entries().set(i, L2Entry.normal(offset, true));
        if (old != 0) alloc.decrement(old >>> clusterBits);
        return offset;
    }

    /** One write for one entry: 8 bytes, or 16 with extended L2 (word and bitmap, in one sector). */
    private void writeTableEntry(long tableOffset, int index, long word, long bitmap) throws IOException {
        long at = tableOffset + 8L * layout.words * index;
        if (layout.words == 1) {
            host.writeLong(at, word);
        } else {
            host.write(at, ByteBuffer.allocate(16).putLong(0, word).putLong(8, bitmap));
        }
    }

    /**
     * Makes {@code [from, to)} read as zeros: whole clusters lose their data (unallocated, or every
     * subcluster zero where the backing image reaches); parts of clusters go at subcluster
     * granularity ({@link #zeroPartial}).
     */
    private void zeroRange(long from, long to) throws IOException {
        if (from >= to) return;
        long firstWhole = Qcow2Header.ceilDiv(from, clusterSize);
        long endWhole = to >>> clusterBits;
        if (firstWhole >= endWhole) {
            zeroPartial(from, to);
            return;
        }
        zeroPartial(from, firstWhole << clusterBits);
        // clusters a write is filling right now: it links its new cluster after copying what was there, which
        // would bring back what this discard drops; those wait for the write, then are done one by one
        List<Long> beingFilled = new ArrayList<>();
        allocLock.lock();
        alloc.startBatch();
        try {
            checkUsable();
            for (long vc = firstWhole; vc < endWhole; vc++) {
                if (filling.containsKey(vc)) {
                    beingFilled.add(vc);
                    continue;
                }
                boolean backingShows = backing != null && (vc << clusterBits) < backingSize;
                ClusterMapping m = lookup(vc);
                if (!m.compressed() && m.hostOffset() == 0 && (!backingShows || m.zeros() == layout.all())) continue; // reads zeros already
                int i = (int) (vc / l2Entries);
                long l2 = writableL2(i);
                ClusterMapping current = l2Cache.entry(l2, (int) (vc % l2Entries));
                ClusterMapping replacement = backingShows ? ClusterMapping.UNALLOCATED.withSubclusters(0, layout.all()) : ClusterMapping.UNALLOCATED;
                if (current.equals(replacement)) continue;
                l2Cache.update(l2, (int) (vc % l2Entries), replacement, this::writeTableEntry);
                release(current.word());
            }
        } catch (IOException e) {
            throw failed(e);
        } finally {
            try {
                alloc.punchBatch();
            } finally {
                allocLock.unlock();
            }
        }
        for (long vc : beingFilled) {
            CountDownLatch other = filling.get(vc);
            if (other != null) {
                try {
                    other.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while a write filled the cluster to discard");
                }
            }
            zeroRange(vc << clusterBits, (vc + 1) << clusterBits); // again: another write may have started meanwhile
        }
        zeroPartial(Math.max(endWhole << clusterBits, firstWhole << clusterBits), to);
    }

    /** Zeros in {@code [from, to)}, parts of clusters: see {@link #zeroInCluster}. */
    private void zeroPartial(long from, long to) throws IOException {
        while (from < to) {
            long vc = from >>> clusterBits;
            long end = Math.min(to, (vc + 1) << clusterBits);
            zeroInCluster(vc, (int) (from - (vc << clusterBits)), (int) (end - (vc << clusterBits)));
            from = end;
        }
    }

    /**
     * Zeros in bytes {@code [from, to)} of cluster {@code vc}, not all of it. With extended L2
     * entries the whole subclusters inside change in the entry alone ({@link #zeroSubclusters});
     * the partial ones are written with zeros, only where they may read other than zeros: one that
     * reads zeros already (unallocated with no backing data under the range, or zero) is left alone,
     * so a small discard in never-written space allocates nothing.
     */
    private void zeroInCluster(long vc, int from, int to) throws IOException {
        int firstWhole = (from + subclusterSize - 1) >>> subclusterBits;
        int endWhole = to >>> subclusterBits;
        if (layout.subclusters > 1 && firstWhole < endWhole) {
            zeroBytes(vc, from, firstWhole << subclusterBits);
            if (!zeroSubclusters(vc, firstWhole, endWhole - 1)) zeroBytes(vc, firstWhole << subclusterBits, endWhole << subclusterBits);
            zeroBytes(vc, endWhole << subclusterBits, to);
        } else {
            zeroBytes(vc, from, to);
        }
    }

    /** Zeros written in bytes {@code [from, to)} of cluster {@code vc}, subcluster by subcluster, where it does not read zeros already. */
    private void zeroBytes(long vc, int from, int to) throws IOException {
        if (from >= to) return;
        long start = vc << clusterBits;
        ClusterMapping m = lookup(vc);
        while (from < to) {
            int end = Math.min(to, ((from >>> subclusterBits) + 1) << subclusterBits);
            boolean readsZero = switch (m.kind(from >>> subclusterBits)) {
                case ZERO -> true;
                case UNALLOCATED -> backing == null || start + from >= backingSize;
                case NORMAL, COMPRESSED -> false;
            };
            if (!readsZero) writeZeros(start + from, start + end);
            from = end;
        }
    }

    /**
     * Subclusters {@code first..last} of cluster {@code vc} (extended L2) read as zeros from now on:
     * zero where the backing image reaches them, else unallocated; when this image owns the host
     * cluster, the host bytes of those that were allocated are punched after the entry no longer
     * uses them (a crash in between leaves bytes nothing reads). The host cluster stays with the
     * entry, for the next write into it. A write filling the cluster meanwhile is waited for: it
     * sets the whole entry when it ends, and would undo this change of other subclusters. False for
     * a compressed cluster (no subclusters): the caller writes zeros instead.
     */
    private boolean zeroSubclusters(long vc, int first, int last) throws IOException {
        int mask = ClusterMapping.bits(first, last);
        long start = vc << clusterBits;
        int showing = 0; // subclusters a backing image would show through
        for (int s = first; s <= last && backing != null && start + ((long) s << subclusterBits) < backingSize; s++) showing |= 1 << s;
        while (true) {
            CountDownLatch other;
            allocLock.lock();
            try {
                checkUsable();
                other = filling.get(vc);
                if (other == null) {
                    ClusterMapping m = lookup(vc);
                    if (m.compressed()) return false;
                    if ((m.allocated() & mask) == 0 && (showing & ~m.zeros()) == 0) return true; // reads zeros already
                    int l2Index = (int) (vc % l2Entries);
                    long l2 = writableL2((int) (vc / l2Entries));
                    ClusterMapping current = l2Cache.entry(l2, l2Index);
                    l2Cache.update(l2, l2Index, current.withSubclusters(current.allocated() & ~mask, (current.zeros() & ~mask) | showing),
                            this::writeTableEntry);
                    int freed = current.owned() ? current.allocated() & mask : 0;
                    for (int a, rest = freed; rest != 0; ) {
                        a = Integer.numberOfTrailingZeros(rest);
                        int b = Math.min(layout.subclusters, a + Integer.numberOfTrailingZeros(~(rest >>> a)));
                        rest &= ~ClusterMapping.bits(a, b - 1);
                        punch(current.hostOffset() + ((long) a << subclusterBits), (long) (b - a) << subclusterBits);
                    }
                    return true;
                }
            } catch (IOException e) {
                throw failed(e);
            } finally {
                allocLock.unlock();
            }
            try {
                other.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while a write filled the cluster to discard in");
            }
        }
    }

    private void writeZeros(long from, long to) throws IOException {
        if (from >= to) return;
        writeLocked(from, ByteBuffer.allocate((int) (to - from)));
    }

    /** Shrink: every cluster from {@code firstDropped} on loses its data; L2 tables wholly past the end go. */
    private void dropClustersFrom(long firstDropped) throws IOException {
        L1Table t = l1;
        for (int i = (int) (firstDropped / l2Entries); i < t.size(); i++) {
            long l1e = t.entries().get(i);
            long l2 = l1e & L2Entry.OFFSET_MASK;
            if (l2 == 0) continue;
            long firstInTable = (long) i * l2Entries;
            if (firstInTable >= firstDropped) {
                // the whole table goes: unhook it, then drop the active L1's reference to everything it
                // held (data clusters count one per L1 reaching them, even through a shared table)
                long[] words = l2Cache.words(l2);
                host.writeLong(t.offset() + 8L * i, 0);
                t.entries().set(i, 0);
                for (int k = 0; k < words.length; k += layout.words) release(words[k]);
                if (alloc.refcount(l2 >>> clusterBits) == 1) l2Cache.forget(l2);
                alloc.decrement(l2 >>> clusterBits);
            } else {
                long writable = writableL2(i);
                for (long vc = firstDropped; vc < firstInTable + l2Entries; vc++) {
                    int k = (int) (vc % l2Entries);
                    ClusterMapping e = l2Cache.entry(writable, k);
                    if (e.equals(ClusterMapping.UNALLOCATED)) continue;
                    l2Cache.update(writable, k, ClusterMapping.UNALLOCATED, this::writeTableEntry);
                    release(e.word());
                }
            }
        }
    }

    /** A larger L1 table at the end of the file, written and forced before the header points to it. */
    private void growL1(int entries) throws IOException {
        if ((long) entries * 8 > MAX_L1_BYTES) throw new IOException("the L1 table would pass 32 MiB: use larger clusters for this size");
        L1Table old = l1;
        int clusters = (int) Qcow2Header.ceilDiv(entries * 8L, clusterSize);
        long c = alloc.allocateContiguous(clusters);
        // counted before anything is written there: a refcount block the counting needs must not land on them
        for (int k = 0; k < clusters; k++) alloc.increment(c + k);
        long[] values = new long[entries];
        for (int i = 0; i < old.size(); i++) values[i] = old.entries().get(i);
        long offset = c << clusterBits;
        host.write(offset, HostFile.encodeLongs(values, clusters * clusterSize));
        host.force();
        ByteBuffer fields = ByteBuffer.allocate(12).putInt(entries).putLong(offset);
        host.write(Qcow2Header.OFFSET_L1, fields.flip());
        host.force();
        l1 = new L1Table(offset, new AtomicLongArray(values));
        int oldClusters = (int) Qcow2Header.ceilDiv(old.size() * 8L, clusterSize);
        for (int k = 0; k < oldClusters; k++) alloc.decrement((old.offset() >>> clusterBits) + k);
    }

    private void writeSize(long newSize) throws IOException {
        host.writeLong(Qcow2Header.OFFSET_SIZE, newSize);
    }

    private void refcountTableMoved(long offset, int clusters) throws IOException {
        ByteBuffer fields = ByteBuffer.allocate(12).putLong(offset).putInt(clusters);
        host.write(Qcow2Header.OFFSET_REFCOUNT_TABLE, fields.flip());
    }

    /**
     * Lets clusters freed while open be allocated again, once no operation that may still use their
     * old address is running: the gate's exclusive side waits for those to end. Called between
     * operations (never while holding the gate), and only when something waits in quarantine.
     */
    private void reuseFreedClusters() throws IOException {
        if (alloc == null || alloc.quarantined() == 0) return;
        gate.writeLock().lock();
        try {
            allocLock.lock();
            try {
                checkUsable();
                if (alloc.quarantined() == 0) return;
                // the writes that unlinked these clusters reach the disk before new data lands in them:
                // else a power loss could leave an old L2 entry pointing at another block's data
                try {
                    host.force();
                } catch (IOException e) {
                    throw failed(e);
                }
                alloc.releaseQuarantine();
            } finally {
                allocLock.unlock();
            }
        } finally {
            gate.writeLock().unlock();
        }
    }

    // ---------------------------------------------------------------- internal snapshots

    /** The image's internal snapshots in the table's order (as {@code qemu-img snapshot -l} lists them). */
    public List<SnapshotInfo> snapshots() throws IOException {
        gate.readLock().lock();
        try {
            checkUsable();
            return SnapshotTable.read(host, header).entries().stream().map(SnapshotTable.Entry::info).toList();
        } finally {
            gate.readLock().unlock();
        }
    }

    /**
     * Takes an internal snapshot named {@code name} of the volume as it is now, as QEMU stores one
     * (its L1 table is the active one until now; the active image continues on copies of the L2
     * tables, so every later write to shared data copies it first). I/O waits while it runs.
     *
     * @throws IllegalArgumentException when the name is empty, too long, or another snapshot's name or ID
     */
    public SnapshotInfo createSnapshot(String name) throws IOException {
        if (readOnly) throw new IOException("volume is read-only");
        if (name == null || name.isBlank()) throw new IllegalArgumentException("a snapshot needs a name");
        if (SnapshotTable.utf8(name).length > 255) throw new IllegalArgumentException("a snapshot name has at most 255 bytes: " + name);
        exclusive();
        try {
            List<SnapshotTable.Entry> snaps = new ArrayList<>(SnapshotTable.read(host, header).entries());
            long nextId = 1;
            for (SnapshotTable.Entry e : snaps) {
                if (e.name().equals(name) || e.id().equals(name)) {
                    throw new IllegalArgumentException("a snapshot named " + name + " already exists: choose another name or remove it first");
                }
                nextId = Math.max(nextId, parseId(e.id()) + 1);
            }
            if (snaps.size() >= SnapshotTable.MAX_SNAPSHOTS) throw new IllegalArgumentException("an image holds at most 65536 snapshots: remove one first");
            L1Table active = l1;
            java.time.Instant now = java.time.Instant.now();
            SnapshotTable.Entry taken = new SnapshotTable.Entry(active.offset(), active.size(), Long.toString(nextId), name,
                    now.getEpochSecond(), now.getNano(), 0, 0, size, -1, new byte[0]);
            snaps.add(taken);
            switchMetadata(entriesOf(active), snaps, size);
            return taken.info();
        } finally {
            releaseExclusive();
        }
    }

    /**
     * Rolls the volume back to snapshot {@code name} (or ID): the active image becomes what the
     * snapshot holds, with its virtual size; what was written since is gone. The snapshot stays.
     * I/O waits while it runs; whether a rollback is allowed (nobody using the volume) is the caller's to decide.
     */
    public void revertToSnapshot(String name) throws IOException {
        if (readOnly) throw new IOException("volume is read-only");
        exclusive();
        try {
            List<SnapshotTable.Entry> snaps = SnapshotTable.read(host, header).entries();
            SnapshotTable.Entry s = find(snaps, name);
            if (s.diskSize() <= 0 || s.diskSize() % BLOCK_SIZE != 0) throw new IOException(file + ": snapshot " + name + " has an invalid size " + s.diskSize());
            long needL1 = Qcow2Header.ceilDiv(s.diskSize(), (long) clusterSize * l2Entries);
            if (needL1 * 8 > MAX_L1_BYTES) throw new IOException(file + ": snapshot " + name + " is too large for its cluster size");
            long[] snapshotL1 = host.readLongs(s.l1Offset(), s.l1Size());
            long[] activeL2 = java.util.Arrays.copyOf(snapshotL1, (int) Math.max(needL1, s.l1Size()));
            switchMetadata(activeL2, snaps, s.diskSize());
        } finally {
            releaseExclusive();
        }
    }

    /**
     * Removes snapshot {@code name} (or ID): what only it held is freed and its space given back
     * (punched holes). I/O waits while it runs.
     */
    public void deleteSnapshot(String name) throws IOException {
        if (readOnly) throw new IOException("volume is read-only");
        exclusive();
        try {
            List<SnapshotTable.Entry> snaps = new ArrayList<>(SnapshotTable.read(host, header).entries());
            snaps.remove(find(snaps, name));
            switchMetadata(entriesOf(l1), snaps, size);
        } finally {
            releaseExclusive();
        }
    }

    /** Waits for every running read and write to end and holds new ones off (the gate's exclusive side). */
    private void exclusive() throws IOException {
        gate.writeLock().lock();
        allocLock.lock();
        try {
            checkUsable();
        } catch (IOException e) {
            releaseExclusive();
            throw e;
        }
    }

    private void releaseExclusive() {
        allocLock.unlock();
        gate.writeLock().unlock();
    }

    private static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            return 0; // QEMU's strtoul: not a number counts 0
        }
    }

    private SnapshotTable.Entry find(List<SnapshotTable.Entry> snaps, String name) {
        for (SnapshotTable.Entry e : snaps) if (e.name().equals(name)) return e;
        for (SnapshotTable.Entry e : snaps) if (e.id().equals(name)) return e;
        throw new IllegalArgumentException("volume has no snapshot named " + name + (snaps.isEmpty() ? " (it has none)"
                : " (it has " + String.join(", ", snaps.stream().map(SnapshotTable.Entry::name).toList()) + ")"));
    }

    private static long[] entriesOf(L1Table t) {
        long[] out = new long[t.size()];
        for (int i = 0; i < out.length; i++) out[i] = t.entries().get(i);
        return out;
    }

    /**
     * Switches the image to a new state in one header write: the active L1 table reaching the L2
     * tables {@code activeL2} (flags ignored; its length is the new L1 size), the snapshot table
     * {@code snaps}, the virtual size {@code newSize}. qemu-img check holds every data cluster and
     * L2 table the active image reaches to "copied iff refcount 1", and refcounts and those flags live
     * in different clusters: so nothing live is changed in place. Every table whose contents change
     * (active L1, the L2 tables whose copied flags change, snapshot table, refcount table and all its
     * blocks, recounted from scratch) is written to clusters free now, forced, and then one 48-byte
     * write of the header (size to snapshots_offset) switches to them. A crash before it leaves the
     * old state whole, after it the new one; the old tables are then free (punched).
     * Holds the gate's exclusive side and allocLock.
     */
    private void switchMetadata(long[] activeL2, List<SnapshotTable.Entry> snaps, long newSize) throws IOException {
        ClusterAllocator old = alloc;
        long oldEnd = Math.max(old.hostEnd(), Qcow2Header.ceilDiv(host.size(), clusterSize));
        if (oldEnd > Integer.MAX_VALUE / 2) throw new IOException(file + ": too many clusters to count in memory");
        // data clusters count one reference per L1 table that reaches them (as QEMU counts them)
        java.util.Map<Long, long[]> tables = new java.util.HashMap<>();
        int[] data = new int[(int) oldEnd];
        countData(data, activeL2, tables);
        for (SnapshotTable.Entry s : snaps) countData(data, host.readLongs(s.l1Offset(), s.l1Size()), tables);

        // active L2 tables whose copied flags change are copied; the others stay where they are
        long[] l2At = new long[activeL2.length];
        java.util.Map<Long, Long> moved = new java.util.HashMap<>();
        List<long[]> copies = new ArrayList<>();
        List<Long> copyAt = new ArrayList<>();
        for (int i = 0; i < activeL2.length; i++) {
            long l2 = activeL2[i] & L2Entry.OFFSET_MASK;
            if (l2 == 0) continue;
            Long to = moved.get(l2);
            if (to == null) {
                long[] current = tables.get(l2);
                long[] flagged = withCopiedFlags(current, data);
                to = l2;
                if (!java.util.Arrays.equals(current, flagged)) {
                    to = old.allocate() << clusterBits;
                    copies.add(flagged);
                    copyAt.add(to);
                }
                moved.put(l2, to);
            }
            l2At[i] = to;
        }
        int l1Clusters = (int) Math.max(1, Qcow2Header.ceilDiv(activeL2.length * 8L, clusterSize));
        long l1At = old.allocateContiguous(l1Clusters) << clusterBits;
        byte[] snapTable = SnapshotTable.encode(snaps);
        int snapClusters = (int) Qcow2Header.ceilDiv(snapTable.length, clusterSize);
        long snapAt = snaps.isEmpty() ? 0 : old.allocateContiguous(snapClusters) << clusterBits;

        // the refcount table and blocks go last, at the end: they count everything, themselves too
        long end = old.hostEnd();
        int perBlock = RefcountCodec.entriesPerBlock(clusterSize, header.refcountOrder());
        long blocks = 1;
        long tableClusters = 1;
        for (int i = 0; i < 64; i++) {
            long b = Qcow2Header.ceilDiv(end + blocks + tableClusters, perBlock);
            long t = Qcow2Header.ceilDiv(Math.max(b, old.table().length) * 8, clusterSize);
            if (b == blocks && t == tableClusters) break;
            blocks = b;
            tableClusters = t;
        }
        long rcAt = old.allocateContiguous((int) (blocks + tableClusters));
        if (rcAt != end) throw new IllegalStateException("refcount region moved");
        long total = end + blocks + tableClusters;
        if (total > Integer.MAX_VALUE / 2) throw new IOException(file + ": too many clusters to count in memory");

        int[] counts = java.util.Arrays.copyOf(data, (int) total);
        counts[0]++; // the header
        for (long l2 : l2At) if (l2 != 0) counts[(int) (l2 >>> clusterBits)]++;
        for (SnapshotTable.Entry s : snaps) {
            for (long e : host.readLongs(s.l1Offset(), s.l1Size())) {
                long l2 = e & L2Entry.OFFSET_MASK;
                if (l2 != 0) counts[(int) (l2 >>> clusterBits)]++;
            }
            countRange(counts, s.l1Offset(), s.l1Size() * 8L);
        }
        countRange(counts, l1At, activeL2.length * 8L);
        if (!snaps.isEmpty()) countRange(counts, snapAt, snapTable.length);
        for (long c = rcAt; c < total; c++) counts[(int) c]++;
        long max = RefcountCodec.maxRefcount(header.refcountOrder());
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > max) throw new IOException(file + ": host cluster " + c + " would be counted " + counts[c] + " times, more than " + (1 << header.refcountOrder()) + "-bit refcounts hold");
        }
        long[] newL1 = new long[activeL2.length];
        for (int i = 0; i < newL1.length; i++) {
            if (l2At[i] != 0) newL1[i] = L2Entry.normal(l2At[i], counts[(int) (l2At[i] >>> clusterBits)] == 1);
        }

        // everything new is written where nothing points yet, and forced before the header points to it;
        // a failure here (the force after the header write too) leaves memory and disk possibly apart
        long rcTableAt = (rcAt + blocks) << clusterBits;
        try {
            for (int k = 0; k < copies.size(); k++) host.write(copyAt.get(k), HostFile.encodeLongs(copies.get(k), clusterSize));
            host.write(l1At, HostFile.encodeLongs(newL1, l1Clusters * clusterSize));
            if (!snaps.isEmpty()) host.write(snapAt, java.util.Arrays.copyOf(snapTable, snapClusters * clusterSize));
            long[] rcTable = new long[(int) (tableClusters * clusterSize / 8)];
            for (int b = 0; b < blocks; b++) {
                byte[] block = new byte[clusterSize];
                for (int k = 0; k < perBlock; k++) {
                    long c = (long) b * perBlock + k;
                    if (c >= total) break;
                    if (counts[(int) c] != 0) RefcountCodec.set(block, k, header.refcountOrder(), counts[(int) c]);
                }
                rcTable[b] = (rcAt + b) << clusterBits;
                host.write(rcTable[b], block);
            }
            host.write(rcTableAt, HostFile.encodeLongs(rcTable, (int) (tableClusters * clusterSize)));
            host.force();
            ByteBuffer fields = ByteBuffer.allocate(48).putLong(newSize).putInt(0).putInt(newL1.length).putLong(l1At)
                    .putLong(rcTableAt).putInt((int) tableClusters).putInt(snaps.size()).putLong(snapAt);
            host.write(Qcow2Header.OFFSET_SIZE, fields.flip());
            host.force();
        } catch (IOException e) {
            throw failed(e);
        }

        // the old state's tables (and the data only it reached) are free now: their space goes back
        List<long[]> runs = new ArrayList<>();
        for (long c = 0; c < oldEnd; c++) {
            if (counts[(int) c] != 0 || old.refcount(c) == 0) continue;
            if (!runs.isEmpty() && runs.getLast()[1] == c) runs.getLast()[1] = c + 1;
            else runs.add(new long[] {c, c + 1});
        }
        Qcow2Header h = header;
        header = new Qcow2Header(h.version(), h.clusterBits(), newSize, newL1.length, l1At, rcTableAt, (int) tableClusters,
                snaps.size(), snapAt, h.incompatibleFeatures(), h.compatibleFeatures(), 0, h.refcountOrder(),
                h.backingFile(), h.backingFormat(), h.extensions());
        l1 = new L1Table(l1At, new AtomicLongArray(newL1));
        size = newSize;
        l2Cache.clear();
        try {
            alloc = new ClusterAllocator(host, this::punch, header, Math.max(4, REFCOUNT_CACHE_BYTES / clusterSize), this::refcountTableMoved);
        } catch (IOException e) {
            throw failed(e);
        }
        for (long[] r : runs) punch(r[0] << clusterBits, (r[1] - r[0]) << clusterBits);
    }

    /** One reference per data cluster each L2 table of {@code l1Entries} reaches; tables read once into {@code tables}. */
    private void countData(int[] data, long[] l1Entries, java.util.Map<Long, long[]> tables) throws IOException {
        for (long l1e : l1Entries) {
            long l2 = l1e & L2Entry.OFFSET_MASK;
            if (l2 == 0) continue;
            long[] t = tables.get(l2);
            if (t == null) {
                if ((l2 >>> clusterBits) >= data.length) throw new IOException(file + ": an L1 table points past the end of the file (the image is corrupt)");
                t = host.readLongs(l2, l2Words);
                tables.put(l2, t);
            }
            for (int k = 0; k < t.length; k += layout.words) { // an entry's first word: an extended one's bitmap holds no reference
                long e = t[k];
                switch (L2Entry.kind(e)) {
                    case NORMAL, ZERO -> {
                        if (L2Entry.hostOffset(e) != 0) countRange(data, L2Entry.hostOffset(e), clusterSize);
                    }
                    case COMPRESSED -> {
                        long at = L2Entry.compressedOffset(e, clusterBits);
                        countRange(data, at & ~511L, (at & 511) + L2Entry.compressedLength(e, clusterBits));
                    }
                    case UNALLOCATED -> {
                    }
                }
            }
        }
    }

    /** {@code table} with "copied" set exactly on the entries whose cluster is counted once (what qemu-img check holds). */
    private long[] withCopiedFlags(long[] table, int[] counts) {
        long[] out = table.clone();
        for (int k = 0; k < out.length; k += layout.words) { // the flag is in the entry's first word
            long e = out[k];
            L2Entry.Kind kind = L2Entry.kind(e);
            if ((kind == L2Entry.Kind.NORMAL || kind == L2Entry.Kind.ZERO) && L2Entry.hostOffset(e) != 0) {
                boolean once = counts[(int) (L2Entry.hostOffset(e) >>> clusterBits)] == 1;
                out[k] = once ? e | L2Entry.COPIED : e & ~L2Entry.COPIED;
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- repair

    /**
     * Counts every reference the image's tables hold (header, L1 and L2 tables, data clusters,
     * refcount table and blocks, snapshot table and the snapshots' tables) and makes the stored
     * refcounts agree. Runs at open, before anything else uses the image.
     */
    private long[] repairRefcounts() throws IOException {
        Qcow2Header h = header;
        long fileClusters = Qcow2Header.ceilDiv(host.size(), clusterSize);
        if (fileClusters + 2 > Integer.MAX_VALUE) throw new IOException(file + ": too many clusters to repair in memory");
        int[] counted = new int[(int) fileClusters + 2];
        countRange(counted, 0, clusterSize);
        countRange(counted, alloc.tableOffset(), (long) alloc.tableClusters() * clusterSize);
        for (long b : alloc.table()) if (b != 0) countRange(counted, b, clusterSize);
        L1Table active = l1;
        long[] activeEntries = new long[active.size()];
        for (int i = 0; i < activeEntries.length; i++) activeEntries[i] = active.entries().get(i);
        countL1(counted, active.offset(), activeEntries);
        if (h.nbSnapshots() > 0) {
            SnapshotTable.Contents snaps = SnapshotTable.read(host, h);
            countRange(counted, h.snapshotsOffset(), snaps.length());
            for (SnapshotTable.Entry s : snaps.entries()) countL1(counted, s.l1Offset(), host.readLongs(s.l1Offset(), s.l1Size()));
        }
        return alloc.repair(counted);
    }

    /** One reference per L2 table the L1 points to, and one per data cluster reached through it (as QEMU counts). */
    private void countL1(int[] counted, long offset, long[] entries) throws IOException {
        if (entries.length > 0) countRange(counted, offset, entries.length * 8L);
        for (long l1e : entries) {
            long l2 = l1e & L2Entry.OFFSET_MASK;
            if (l2 == 0) continue;
            countRange(counted, l2, clusterSize);
            long[] t = host.readLongs(l2, l2Words);
            for (int k = 0; k < t.length; k += layout.words) {
                long e = t[k];
                switch (L2Entry.kind(e)) {
                    case NORMAL, ZERO -> {
                        if (L2Entry.hostOffset(e) != 0) countRange(counted, L2Entry.hostOffset(e), clusterSize);
                    }
                    case COMPRESSED -> {
                        long at = L2Entry.compressedOffset(e, clusterBits);
                        countRange(counted, at & ~511L, (at & 511) + L2Entry.compressedLength(e, clusterBits));
                    }
                    case UNALLOCATED -> {
                    }
                }
            }
        }
    }

    private void countRange(int[] counted, long offset, long length) throws IOException {
        if (length <= 0) return;
        for (long c = offset >>> clusterBits, end = (offset + length - 1) >>> clusterBits; c <= end; c++) {
            if (c >= counted.length) throw new IOException(file + ": a table refers to offset " + (c << clusterBits) + ", past the end of the file (the image is corrupt)");
            counted[(int) c]++;
        }
    }
}
