package org.netroot.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.netroot.server.api.DiskSpace;
import org.netroot.server.api.Snapshot;
import org.netroot.server.api.Volume;
import org.netroot.server.storage.qcow2.Qcow2BlockDevice;
import org.netroot.server.storage.qcow2.SnapshotInfo;
import org.netroot.server.store.VolumeRepository;

/**
 * Volumes as sparse files in {@code <data>/volumes} of a {@link VolumeFormat} (raw or qcow2),
 * recorded in the database. Creating from an image copies it (keeping holes sparse); exporting
 * copies the bytes back out, as raw or qcow2. A golden image is served read-only and is the
 * backing file of its overlays (qcow2 volumes that hold only what their client wrote); resetting
 * an overlay throws those writes away, promoting one copies it whole into a new golden image. The
 * volumes clients have open live in {@link #openVolumes()}, which a resize tells.
 */
public final class VolumeStore {
    private static final int COPY_CHUNK = 1 << 20;

    /** Told after every chunk of a copy how far it got; answering false stops the copy (it then throws). */
    @FunctionalInterface
    public interface CopyProgress {
        boolean proceed(long bytesDone, long bytesTotal);

        CopyProgress NONE = (done, total) -> true;
    }

    private final Path dir;
    private final VolumeRepository repository;
    private final OpenVolumes openVolumes;

    public VolumeStore(Path dataDir, VolumeRepository repository) {
        this.dir = dataDir.resolve("volumes");
        this.repository = repository;
        // a golden image is served read-only: overlays read from it, so no client may change it
        this.openVolumes = new OpenVolumes(name -> {
            Volume v = require(name);
            return openDevice(v, v.golden());
        }, name -> openDevice(require(name), false), name -> find(name).map(Volume::shared).orElse(false));
    }

    /** The golden image {@code g} as an overlay's backing file: its file, in the format the database records. */
    private VolumeFormat.Backing backingOf(Volume g) {
        return new VolumeFormat.Backing(fileOf(g), VolumeFormat.byName(g.format()));
    }

    private BlockDevice openDevice(Volume v, boolean readOnly) throws IOException {
        return VolumeFormat.byName(v.format()).open(fileOf(v), readOnly);
    }

    /** The volumes in use by clients, and the one-writer rule: protocols attach through it. */
    public OpenVolumes openVolumes() {
        return openVolumes;
    }

    /** Every volume with its real disk usage (one {@code du} run for all files) and its snapshots' names. */
    public List<Volume> list() {
        List<Volume> volumes = repository.list();
        Map<Path, Long> usage = DiskUsage.allocatedBytes(volumes.stream().map(this::fileOf).toList());
        return volumes.stream().map(v -> v.withAllocatedBytes(usage.getOrDefault(fileOf(v), DiskUsage.UNKNOWN))
                .withSnapshots(snapshotNames(v))).toList();
    }

    // ---- snapshots (qcow2's internal ones, kept in the volume's file) ----------------------------

    /** The qcow2 volume's snapshots, oldest first. */
    public List<Snapshot> snapshots(String name) throws IOException {
        Volume v = requireQcow2(name, "has");
        return openVolumes.withDevice(name, n -> openDevice(v, true), d -> qcow2(d).snapshots()).stream()
                .map(s -> new Snapshot(s.name(), s.date(), s.virtualSize())).toList();
    }

    /**
     * Takes snapshot {@code snapshot} of the volume as it is now; while a client uses it too (I/O
     * waits for the moment it takes). Not of a golden image: it never changes (snapshot its overlays).
     */
    public Volume createSnapshot(String name, String snapshot) throws IOException {
        Volume v = requireWritableQcow2(name, "take a snapshot of");
        checkSnapshotName(snapshot);
        try {
            openVolumes.withDevice(name, n -> openDevice(v, false), d -> qcow2(d).createSnapshot(snapshot));
        } catch (IOException e) {
            throw diskError("take snapshot " + snapshot + " of volume " + name, e);
        }
        return withSnapshots(withUsage(require(name))); // the live stream carries it: the app shows its space on disk
    }

    /**
     * Rolls the volume back to {@code snapshot} (its size too): what was written since is gone.
     * Refused while a client has the volume open: its disk would change under it.
     */
    public Volume rollback(String name, String snapshot) throws IOException {
        Volume v = requireWritableQcow2(name, "roll back");
        requireSnapshot(name, snapshot);
        openVolumes.whileClosed(name, user -> "volume " + name + " is in use by " + OpenVolumes.describe(user)
                + ": shut it down first, then roll it back (its disk would change under the running system)", () -> {
            try (BlockDevice d = openDevice(v, false)) {
                Qcow2BlockDevice q = qcow2(d);
                q.revertToSnapshot(snapshot);
                if (q.sizeBytes() != v.sizeBytes()) repository.updateSize(name, q.sizeBytes());
            } catch (IOException e) {
                throw diskError("roll volume " + name + " back to snapshot " + snapshot, e);
            }
        });
        return withSnapshots(withUsage(require(name)));
    }

    /** Removes {@code snapshot}; the space only it held goes back to the disk. Also while a client runs. */
    public Volume removeSnapshot(String name, String snapshot) throws IOException {
        Volume v = requireWritableQcow2(name, "remove a snapshot of");
        requireSnapshot(name, snapshot);
        try {
            openVolumes.withDevice(name, n -> openDevice(v, false), d -> {
                qcow2(d).deleteSnapshot(snapshot);
                return null;
            });
        } catch (IOException e) {
            throw diskError("remove snapshot " + snapshot + " of volume " + name, e);
        }
        return withSnapshots(withUsage(require(name)));
    }

    private Volume withSnapshots(Volume v) {
        return v.withSnapshots(snapshotNames(v));
    }

    /** For listings: read from the file's snapshot table (no device opened); none for raw or an unreadable file. */
    private List<String> snapshotNames(Volume v) {
        if (!Volume.QCOW2.equals(v.format())) return List.of();
        try {
            return Qcow2BlockDevice.snapshotsOf(fileOf(v)).stream().map(SnapshotInfo::name).toList();
        } catch (IOException e) {
            return List.of(); // a missing or damaged file shows elsewhere (opening it fails with the reason)
        }
    }

    private Volume requireQcow2(String name, String verb) {
        Volume v = require(name);
        if (!Volume.QCOW2.equals(v.format())) {
            throw new IllegalArgumentException("volume " + name + " is " + v.format() + ": only qcow2 volumes " + verb
                    + " snapshots (export it with --format qcow2 and import that as a new volume)");
        }
        return v;
    }

    private Volume requireWritableQcow2(String name, String what) {
        Volume v = requireQcow2(name, "have");
        if (v.golden()) {
            throw new IllegalArgumentException("cannot " + what + " golden image " + name + ": it never changes;"
                    + " snapshots belong to its overlays");
        }
        return v;
    }

    private void requireSnapshot(String name, String snapshot) throws IOException {
        if (snapshots(name).stream().noneMatch(s -> s.name().equals(snapshot))) {
            throw new IllegalArgumentException("volume " + name + " has no snapshot named " + snapshot
                    + ": `netroot volume snapshots " + name + "` lists them");
        }
    }

    private static Qcow2BlockDevice qcow2(BlockDevice d) {
        if (d instanceof Qcow2BlockDevice q) return q;
        throw new IllegalStateException("not a qcow2 device: " + d.getClass().getSimpleName());
    }

    private static void checkSnapshotName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("snapshot names use letters, digits, '.', '_' and '-' (up to 64): " + name);
        }
    }

    public Optional<Volume> find(String name) {
        return repository.byName(name);
    }

    public Path fileOf(Volume v) {
        return dir.resolve(v.fileName());
    }

    /** An empty volume of the default format ({@link Volume#DEFAULT_FORMAT}). */
    public Volume create(String name, long sizeBytes) throws IOException {
        return create(name, sizeBytes, Volume.DEFAULT_FORMAT);
    }

    /**
     * An empty sparse volume of {@code format} ("raw", "qcow2"; null: the default). Refused while an
     * import holds the name ({@link #reserve}): it would take the file from under the copy.
     */
    public Volume create(String name, long sizeBytes, String format) throws IOException {
        checkName(name);
        checkSize(sizeBytes);
        VolumeFormat f = VolumeFormat.forNewVolume(format);
        try (Reservation ignored = reserve(name)) {
            Path file = newFile(name, f);
            try {
                f.create(file, sizeBytes, Optional.empty());
            } catch (IOException e) {
                throw diskError("create volume " + name, e);
            }
            return register(new Volume(name, sizeBytes, file.getFileName().toString(), Instant.now(), f.id(), -1), file);
        }
    }

    /** The data folder's disk: how much is free for volumes to grow into. */
    public DiskSpace space() {
        try {
            Files.createDirectories(dir);
            var store = Files.getFileStore(dir);
            return new DiskSpace(dir.toString(), store.getUsableSpace(), store.getTotalSpace());
        } catch (IOException e) {
            return new DiskSpace(dir.toString(), -1, -1);
        }
    }

    /**
     * Words for a volume that may grow to {@code sizeBytes} while the data folder's disk has less
     * free: allowed, as volumes are sparse, but writes fail once the disk is full. Empty when it fits.
     */
    public Optional<String> spaceWarning(String name, long sizeBytes) {
        DiskSpace s = space();
        if (s.freeBytes() < 0 || sizeBytes <= s.freeBytes()) return Optional.empty();
        return Optional.of("volume " + name + " can grow to " + DiskSpace.human(sizeBytes) + " but the disk holding "
                + s.folder() + " has only " + DiskSpace.human(s.freeBytes()) + " free: volumes are sparse, so this"
                + " works until the data written fills that disk; free space there or use a smaller size");
    }

    // ---- golden images and overlays ------------------------------------------------------------

    /**
     * Makes {@code name} a golden image: served read-only from now on, and the source of
     * {@link #cloneOverlay overlays}. Refused while a client has it open (it writes to it).
     */
    public Volume makeGolden(String name) {
        Volume v = require(name);
        if (v.golden()) return v;
        openVolumes.whileClosed(name, user -> "volume " + name + " is in use by " + OpenVolumes.describe(user)
                + ": shut it down first, then make it a golden image", () -> {
            if (!repository.updateGolden(name, true)) throw new IllegalArgumentException("no volume named " + name);
        });
        return withUsage(require(name));
    }

    /**
     * Marks {@code name} shared by several initiators, or not. Refused while anyone has it open: the
     * users attached under one rule must not find themselves under the other.
     */
    public Volume share(String name, boolean shared) {
        Volume v = require(name);
        if (v.shared() == shared) return withSnapshots(withUsage(v));
        openVolumes.whileClosed(name, user -> "volume " + name + " is in use by " + OpenVolumes.describe(user)
                + ": shut it down first, then " + (shared ? "share" : "stop sharing") + " it", () -> {
            if (!repository.updateShared(name, shared)) throw new IllegalArgumentException("no volume named " + name);
        });
        return withSnapshots(withUsage(require(name)));
    }

    /**
     * A new qcow2 overlay {@code newName} of the golden image {@code golden}: it reads what it has
     * not written from the golden file, so creating it writes only its metadata (milliseconds,
     * whatever the golden image's size).
     */
    public Volume cloneOverlay(String golden, String newName) throws IOException {
        Volume g = require(golden);
        if (!g.golden()) {
            throw new IllegalArgumentException("volume " + golden + " is not a golden image: make it one first"
                    + " (`netroot volume golden " + golden + "`), then clone it");
        }
        checkName(newName);
        try (Reservation ignored = reserve(newName)) {
            Path file = newFile(newName, VolumeFormat.QCOW2);
            try {
                VolumeFormat.QCOW2.create(file, g.sizeBytes(), Optional.of(backingOf(g)));
            } catch (IOException e) {
                throw diskError("clone golden image " + golden + " as " + newName, e);
            }
            return register(new Volume(newName, g.sizeBytes(), file.getFileName().toString(), Instant.now(),
                    VolumeFormat.QCOW2.id(), -1, false, golden, List.of()), file);
        }
    }

    /**
     * Throws away everything written to the overlay {@code name}: afterwards it reads as its golden
     * image again (its size stays). Refused while a client has it open.
     */
    public Volume reset(String name) throws IOException {
        Volume v = require(name);
        if (!v.overlay()) {
            throw new IllegalArgumentException("volume " + name + " is no overlay of a golden image: there is"
                    + " nothing to reset it to");
        }
        Volume g = require(v.overlayOf());
        openVolumes.whileClosed(name, user -> "volume " + name + " is in use by " + OpenVolumes.describe(user)
                + ": shut it down first, then reset it", () -> {
            Path part = partFile(v.fileName());
            try {
                VolumeFormat.QCOW2.create(part, v.sizeBytes(), Optional.of(backingOf(g)));
                Files.move(part, fileOf(v), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw diskError("reset volume " + name, e);
            } finally {
                Files.deleteIfExists(part);
            }
        });
        return withUsage(require(name));
    }

    /**
     * Copies the overlay {@code overlay} whole (its golden image's bytes and its own writes) into a
     * new golden image {@code reservation.name()}, a qcow2 volume with no backing file; all-zero
     * chunks are skipped, so it stays sparse. The overlay is held as a user meanwhile: its client
     * cannot attach (and write) mid-copy. A stopped or failed copy leaves nothing behind.
     */
    public Volume promote(String overlay, Reservation reservation, CopyProgress progress) throws IOException {
        Volume v = require(overlay);
        if (!v.overlay()) {
            throw new IllegalArgumentException("volume " + overlay + " is no overlay: make it a golden image itself"
                    + " (`netroot volume golden " + overlay + "`)");
        }
        // only a promotion of the same name could replace this user, and reserve() refuses that
        OpenVolumes.User promoter = holder("netroot:promote:" + reservation.name(),
                "the promotion of " + overlay + " to " + reservation.name());
        OpenVolumes.Attachment a = hold(overlay, promoter, "promote");
        try {
            Path file = newFile(reservation.name(), VolumeFormat.QCOW2);
            Path part = partFile(file.getFileName().toString());
            try {
                VolumeFormat.QCOW2.create(part, v.sizeBytes(), Optional.empty());
                try (BlockDevice out = VolumeFormat.QCOW2.open(part, false)) {
                    copyDevice(a.handle().device(), out, progress);
                }
                Files.createLink(file, part);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                throw new IllegalArgumentException("file " + file + " already exists; remove it first", e);
            } catch (IOException e) {
                throw diskError("promote volume " + overlay + " to " + reservation.name(), e);
            } finally {
                Files.deleteIfExists(part);
            }
            return register(new Volume(reservation.name(), v.sizeBytes(), file.getFileName().toString(), Instant.now(),
                    VolumeFormat.QCOW2.id(), -1, true, null, List.of()), file);
        } finally {
            a.handle().release(promoter);
        }
    }

    /** The overlays reading from {@code golden}, by name. */
    public List<String> overlaysOf(String golden) {
        return repository.overlaysOf(golden);
    }

    /** Creates a volume holding a copy of {@code image}, rounded up to whole 512-byte blocks. */
    public Volume importImage(String name, Path image, long minSizeBytes) throws IOException {
        return importImage(name, image, minSizeBytes, CopyProgress.NONE);
    }

    /**
     * A volume name held for an import while it copies: a second import (or create) of the name is
     * refused instead of racing the first for the file. Closing lets go of it.
     */
    public final class Reservation implements AutoCloseable {
        private final String name;
        private boolean released;

        private Reservation(String name) {
            this.name = name;
        }

        public String name() {
            return name;
        }

        @Override
        public void close() {
            synchronized (reserved) {
                if (!released) reserved.remove(name);
                released = true;
            }
        }
    }

    private final java.util.Set<String> reserved = new java.util.HashSet<>();

    /** Holds {@code name} for an import; refused when the volume exists or another import holds it. */
    public Reservation reserve(String name) {
        checkName(name);
        synchronized (reserved) {
            if (reserved.contains(name)) {
                throw new IllegalArgumentException("a volume named " + name + " is being imported already:"
                        + " wait for that job (`netroot job list`), or cancel it");
            }
            if (repository.byName(name).isPresent()) {
                throw new IllegalArgumentException("a volume named " + name + " already exists");
            }
            reserved.add(name);
            return new Reservation(name);
        }
    }

    /**
     * As {@link #importImage(String, Path, long)}, reporting progress; a copy that is stopped or fails
     * leaves no file and no volume behind.
     *
     * @throws java.util.concurrent.CancellationException when {@code progress} stopped it
     */
    public Volume importImage(String name, Path image, long minSizeBytes, CopyProgress progress) throws IOException {
        try (Reservation r = reserve(name)) {
            return importImage(r, image, minSizeBytes, progress);
        }
    }

    /**
     * Imports under a name reserved by the caller. The copy goes to a hidden part file of its own
     * ({@code .<name>.img.part-<random>}, created new), is linked into place only when complete
     * (a link never replaces a file), then recorded: a stop or kill mid-copy leaves only a part
     * file, which {@link #removeStaleParts()} deletes at the next start.
     */
    public Volume importImage(Reservation reservation, Path image, long minSizeBytes, CopyProgress progress)
            throws IOException {
        String name = reservation.name();
        if (!Files.isRegularFile(image)) throw new NoSuchFileException(image.toString(), null, "no such image file");
        Optional<String> foreign = VolumeFormat.foreign(image);
        if (foreign.isPresent()) return importConverted(reservation, image, foreign.get(), progress);
        if (VolumeFormat.probe(image) == VolumeFormat.QCOW2) return importQcow2(reservation, image, minSizeBytes, progress);
        long imageSize = Files.size(image);
        long size = roundUp(Math.max(imageSize, minSizeBytes));
        return importAs(name, VolumeFormat.RAW, image, part -> {
            try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ);
                 FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                         StandardOpenOption.SPARSE)) {
                copySparse(in, out, imageSize, progress);
                if (out.size() < size) out.write(ByteBuffer.allocate(1), size - 1);
                out.force(false); // complete on disk before it gets the volume's name
            }
            return size;
        });
    }

    /**
     * A qcow2 image (by Netroot, qemu-img or another tool) read through its backing chain, if any,
     * into a new qcow2 volume of its own: the volume never depends on a file outside the data folder.
     */
    private Volume importQcow2(Reservation reservation, Path image, long minSizeBytes, CopyProgress progress)
            throws IOException {
        return importAs(reservation.name(), VolumeFormat.QCOW2, image, part -> {
            try (BlockDevice in = VolumeFormat.QCOW2.open(image, true)) {
                long size = roundUp(Math.max(in.sizeBytes(), minSizeBytes));
                VolumeFormat.QCOW2.create(part, size, Optional.empty());
                try (BlockDevice out = VolumeFormat.QCOW2.open(part, false)) {
                    copyDevice(in, out, progress);
                }
                return size;
            }
        });
    }

    /** VMDK, VHDX and the others: {@code qemu-img convert} writes a qcow2 part file, which then becomes the volume. */
    private Volume importConverted(Reservation reservation, Path image, String format, CopyProgress progress)
            throws IOException {
        return importAs(reservation.name(), VolumeFormat.QCOW2, image, part -> {
            QemuImg.convertToQcow2(image, format, part, progress);
            try (BlockDevice check = VolumeFormat.QCOW2.open(part, true)) {
                return check.sizeBytes();
            }
        });
    }

    /** Fills a new volume's part file; returns the volume's size. */
    @FunctionalInterface
    private interface PartWriter {
        long write(Path part) throws IOException;
    }

    /**
     * An import's one way into the volumes folder: {@code writer} fills a hidden part file of its own,
     * which is linked into place only when complete (a link never replaces a file), then recorded.
     */
    private Volume importAs(String name, VolumeFormat format, Path image, PartWriter writer) throws IOException {
        Path file = newFile(name, format);
        Path part = partFile(file.getFileName().toString());
        long size;
        try {
            size = writer.write(part);
            Files.createLink(file, part); // atomic, and fails rather than replace a file of that name
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IllegalArgumentException("file " + file + " already exists; remove it first", e);
        } catch (IOException e) {
            throw diskError("import " + image + " as volume " + name, e);
        } finally {
            Files.deleteIfExists(part);
        }
        return register(new Volume(name, size, file.getFileName().toString(), Instant.now(), format.id(), -1), file);
    }

    /** A hidden part file next to {@code fileName} in the volumes folder, unique to one copy. */
    private Path partFile(String fileName) throws IOException {
        Files.createDirectories(dir);
        return dir.resolve("." + fileName + PART + java.util.UUID.randomUUID());
    }

    /** Marks the part files of copies in progress: {@code .<file name>.part-<random>}. */
    private static final String PART = ".part-";

    /**
     * Deletes the part files of imports a stop or a kill interrupted. Only the process holding the
     * database imports, so call it once that process opened it, before any import starts.
     *
     * @return how many it deleted
     */
    public int removeStaleParts() {
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        try (var files = Files.newDirectoryStream(dir, ".*" + PART + "*")) {
            for (Path f : files) {
                if (Files.deleteIfExists(f)) n++;
            }
        } catch (IOException e) {
            // left for the next start; they only take space
        }
        return n;
    }

    public void export(String name, Path target) throws IOException {
        export(name, target, VolumeFormat.RAW, CopyProgress.NONE);
    }

    public void export(String name, Path target, CopyProgress progress) throws IOException {
        export(name, target, VolumeFormat.RAW, progress);
    }

    /**
     * As {@link #export(String, Path)}, reporting progress; a stopped or failed export leaves no file
     * behind. The copy goes to a hidden part file of its own next to the target and replaces the
     * target only when complete, so two exports to one place never write into each other.
     */
    public void export(String name, Path target, VolumeFormat format, CopyProgress progress) throws IOException {
        Volume v = require(name);
        if (Files.isDirectory(target)) { // found before the copy, not by the final rename
            throw diskError("export volume " + name + " to " + target,
                    new java.nio.file.DirectoryNotEmptyException(target.toString()));
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + PART + java.util.UUID.randomUUID());
        try {
            if (format == VolumeFormat.RAW && VolumeFormat.byName(v.format()) == VolumeFormat.RAW) {
                try (FileChannel in = FileChannel.open(fileOf(v), StandardOpenOption.READ);
                     FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                             StandardOpenOption.SPARSE)) {
                    copySparse(in, out, in.size(), progress);
                    if (out.size() < in.size()) out.write(ByteBuffer.allocate(1), in.size() - 1);
                    out.force(false);
                }
            } else {
                // through the device: an overlay's golden bytes come along, and the image stands alone.
                // The export holds the volume as a client would: a qcow2 file a running client writes
                // reuses freed clusters under a second reader, so the copy could hold other blocks' data
                OpenVolumes.User exporter = holder("netroot:export:" + tmp, "the export of " + name + " to " + target);
                OpenVolumes.Attachment a = hold(name, exporter, "export");
                try {
                    BlockDevice in = a.handle().device();
                    format.create(tmp, in.sizeBytes(), Optional.empty());
                    try (BlockDevice out = format.open(tmp, false)) {
                        copyDevice(in, out, progress);
                    }
                } finally {
                    a.handle().release(exporter);
                }
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw diskError("export volume " + name + " to " + target, e, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Netroot itself as a user of a volume (a promotion, an export): no client attaches meanwhile. */
    private static OpenVolumes.User holder(String identity, String description) {
        return new OpenVolumes.User() {
            @Override
            public String identity() {
                return identity;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public void evict() {
                // its identity is unique to one copy: no one else logs in as it
            }
        };
    }

    /** Attaches {@code user} to the volume, refused with the reason while a client has it: "shut it down first, then VERB it". */
    private OpenVolumes.Attachment hold(String name, OpenVolumes.User user, String verb) throws IOException {
        OpenVolumes.Attachment a = openVolumes.attach(name, user);
        if (a.claim() == OpenVolumes.Claim.BUSY) {
            throw new IllegalArgumentException("volume " + name + " is in use by " + a.holder()
                    + ": shut it down first, then " + verb + " it");
        }
        return a;
    }

    /**
     * Removes the volume's record and file, refused while anyone has it open (checked under the
     * open volumes' lock, so no one attaches meanwhile): an open handle would keep serving the
     * deleted file, even to a volume created again under the same name.
     */
    public void remove(String name) throws IOException {
        Volume v = require(name);
        List<String> overlays = repository.overlaysOf(name);
        if (!overlays.isEmpty()) {
            throw new IllegalArgumentException("volume " + name + " is the golden image of " + String.join(", ", overlays)
                    + ": remove " + (overlays.size() == 1 ? "that overlay" : "those overlays")
                    + " first (or promote them to golden images of their own)");
        }
        openVolumes.whileClosed(name, user -> "volume " + name + " is in use by " + OpenVolumes.describe(user)
                + ": shut it down first, then remove it", () -> {
            if (!repository.remove(name)) throw new IllegalArgumentException("no volume named " + name);
            Files.deleteIfExists(fileOf(v));
        });
    }

    /**
     * Changes a volume's size. Growing works at any time: a client that has the volume open sees
     * the new size (its logical unit reports UNIT ATTENTION, then the new capacity). Shrinking
     * drops the data past the new end, so it needs {@code allowShrink} and no client attached.
     * Which of the two it is depends on the file's real size, and the database follows the file:
     * when recording the new size fails, the file is given its old size back.
     */
    public Volume resize(String name, long newSizeBytes, boolean allowShrink) throws IOException {
        checkSize(newSizeBytes);
        Volume v = require(name);
        OpenVolumes.Change<IOException> resize = () -> openVolumes.resize(name, newSizeBytes, allowShrink, () -> {
            if (require(name).sizeBytes() != newSizeBytes && !repository.updateSize(name, newSizeBytes)) {
                throw new IllegalArgumentException("no volume named " + name);
            }
        });
        try {
            if (v.golden()) {
                List<String> overlays = repository.overlaysOf(name);
                if (!overlays.isEmpty()) {
                    throw new IllegalArgumentException("golden image " + name + " keeps its size while overlays read"
                            + " from it (" + String.join(", ", overlays) + "): resize the overlays instead, or"
                            + " promote or remove them first");
                }
                // served read-only: its clients could not be told of a new size
                openVolumes.whileClosed(name, user -> "golden image " + name + " is in use by "
                        + OpenVolumes.describe(user) + ": shut it down first, then resize it", resize);
            } else {
                resize.run();
            }
        } catch (IOException e) {
            throw diskError("resize volume " + name, e);
        }
        Volume resized = require(name);
        return resized.withAllocatedBytes(DiskUsage.allocatedBytes(fileOf(resized)));
    }

    public BlockDevice open(String name, boolean readOnly) throws IOException {
        return openDevice(require(name), readOnly);
    }

    public Volume require(String name) {
        return repository.byName(name).orElseThrow(() -> new IllegalArgumentException("no volume named " + name));
    }

    private Volume withUsage(Volume v) {
        return v.withAllocatedBytes(DiskUsage.allocatedBytes(fileOf(v)));
    }

    private Volume register(Volume v, Path file) throws IOException {
        try {
            repository.add(v);
        } catch (RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return v.withAllocatedBytes(DiskUsage.allocatedBytes(file)); // the live stream's payload shows it too
    }

    private Path newFile(String name, VolumeFormat format) throws IOException {
        Files.createDirectories(dir);
        if (repository.byName(name).isPresent()) throw new IllegalArgumentException("a volume named " + name + " already exists");
        Path file = dir.resolve(name + format.extension());
        if (Files.exists(file)) throw new IllegalArgumentException("file " + file + " already exists; remove it first");
        return file;
    }

    /** Copies, skipping all-zero chunks so the target stays sparse. */
    private static void copySparse(FileChannel in, FileChannel out, long length, CopyProgress progress)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocateDirect(COPY_CHUNK);
        long pos = 0;
        if (!progress.proceed(0, length)) throw new java.util.concurrent.CancellationException("copy cancelled");
        while (pos < length) {
            buf.clear();
            buf.limit((int) Math.min(COPY_CHUNK, length - pos));
            int n = in.read(buf, pos);
            if (n <= 0) break;
            buf.flip();
            if (!allZero(buf)) {
                long p = pos;
                while (buf.hasRemaining()) p += out.write(buf, p);
            }
            pos += n;
            if (!progress.proceed(pos, length)) throw new java.util.concurrent.CancellationException("copy cancelled");
        }
    }

    /**
     * Copies a whole device onto another of at least its size, chunk by chunk; all-zero chunks are
     * not written, so a sparse target (raw or qcow2) stays sparse.
     */
    private static void copyDevice(BlockDevice in, BlockDevice out, CopyProgress progress) throws IOException {
        long length = in.sizeBytes();
        ByteBuffer buf = ByteBuffer.allocateDirect(COPY_CHUNK);
        if (!progress.proceed(0, length)) throw new java.util.concurrent.CancellationException("copy cancelled");
        for (long pos = 0; pos < length; ) {
            int n = (int) Math.min(COPY_CHUNK, length - pos);
            buf.clear().limit(n);
            in.read(pos, buf);
            buf.flip();
            if (!allZero(buf)) out.write(pos, buf);
            pos += n;
            if (!progress.proceed(pos, length)) throw new java.util.concurrent.CancellationException("copy cancelled");
        }
        out.flush();
    }

    private static boolean allZero(ByteBuffer b) {
        return RawFileBlockDevice.allZero(b);
    }

    private static long roundUp(long size) {
        long bs = BlockDevice.BLOCK_SIZE;
        return Math.max(bs, (size + bs - 1) / bs * bs);
    }

    private static void checkSize(long sizeBytes) {
        if (sizeBytes <= 0 || sizeBytes % BlockDevice.BLOCK_SIZE != 0) {
            throw new IllegalArgumentException("volume size must be a positive multiple of 512 bytes, got " + sizeBytes);
        }
    }

    private static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new IllegalArgumentException("volume names use letters, digits, '.', '_' and '-' (up to 64): " + name);
        }
    }

    private IOException diskError(String what, IOException e) {
        return diskError(what, e, dir);
    }

    /** {@code e} in words for {@code what}; {@code written} is where the failed write went (its disk may be full). */
    private static IOException diskError(String what, IOException e, Path written) {
        String msg;
        // the named failures first: on a nearly full disk a missing file is still a missing file
        if (e instanceof java.nio.file.DirectoryNotEmptyException d) msg = d.getFile() + " is a folder";
        else if (e instanceof NoSuchFileException n) msg = n.getFile() + " does not exist";
        else if (DiskFullException.isDiskFull(e, written)) msg = "the disk holding " + written + " is full";
        else msg = String.valueOf(e.getMessage());
        return new IOException("could not " + what + ": " + msg, e);
    }
}
