package org.netroot.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import org.netroot.server.api.Volume;
import org.netroot.server.store.VolumeRepository;

/**
 * Volumes as raw sparse files in {@code <data>/volumes}, recorded in the database. Creating
 * from an image copies it (keeping holes sparse); exporting copies the bytes back out. The
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
        this.openVolumes = new OpenVolumes(name -> RawFileBlockDevice.open(fileOf(require(name)), false));
    }

    /** The volumes in use by clients, and the one-writer rule: protocols attach through it. */
    public OpenVolumes openVolumes() {
        return openVolumes;
    }

    /** Every volume with its real disk usage (one {@code du} run for all files). */
    public List<Volume> list() {
        List<Volume> volumes = repository.list();
        Map<Path, Long> usage = DiskUsage.allocatedBytes(volumes.stream().map(this::fileOf).toList());
        return volumes.stream().map(v -> v.withAllocatedBytes(usage.getOrDefault(fileOf(v), DiskUsage.UNKNOWN))).toList();
    }

    public Optional<Volume> find(String name) {
        return repository.byName(name);
    }

    public Path fileOf(Volume v) {
        return dir.resolve(v.fileName());
    }

    /** Refused while an import holds the name ({@link #reserve}): it would take the file from under the copy. */
    public Volume create(String name, long sizeBytes) throws IOException {
        checkName(name);
        checkSize(sizeBytes);
        try (Reservation ignored = reserve(name)) {
            Path file = newFile(name);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.SPARSE)) {
                ch.truncate(0);
                ch.write(ByteBuffer.allocate(1), sizeBytes - 1); // sets the size, leaves the rest a hole
            } catch (IOException e) {
                Files.deleteIfExists(file);
                throw diskError("create volume " + name, e);
            }
            return register(name, sizeBytes, file);
        }
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
        long imageSize = Files.size(image);
        long size = roundUp(Math.max(imageSize, minSizeBytes));
        Path file = newFile(name);
        Path part = dir.resolve("." + name + ".img" + PART + java.util.UUID.randomUUID());
        try {
            try (FileChannel in = FileChannel.open(image, StandardOpenOption.READ);
                 FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                         StandardOpenOption.SPARSE)) {
                copySparse(in, out, imageSize, progress);
                if (out.size() < size) out.write(ByteBuffer.allocate(1), size - 1);
                out.force(false); // complete on disk before it gets the volume's name
            }
            Files.createLink(file, part); // atomic, and fails rather than replace a file of that name
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IllegalArgumentException("file " + file + " already exists; remove it first", e);
        } catch (IOException e) {
            throw diskError("import " + image + " as volume " + name, e);
        } finally {
            Files.deleteIfExists(part);
        }
        return register(name, size, file);
    }

    /** Marks the part files of copies in progress: {@code .<name>.img.part-<random>}. */
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
        try (var files = Files.newDirectoryStream(dir, ".*.img" + PART + "*")) {
            for (Path f : files) {
                if (Files.deleteIfExists(f)) n++;
            }
        } catch (IOException e) {
            // left for the next start; they only take space
        }
        return n;
    }

    public void export(String name, Path target) throws IOException {
        export(name, target, CopyProgress.NONE);
    }

    /**
     * As {@link #export(String, Path)}, reporting progress; a stopped or failed export leaves no file
     * behind. The copy goes to a hidden part file of its own next to the target and replaces the
     * target only when complete, so two exports to one place never write into each other.
     */
    public void export(String name, Path target, CopyProgress progress) throws IOException {
        Volume v = require(name);
        if (Files.isDirectory(target)) { // found before the copy, not by the final rename
            throw diskError("export volume " + name + " to " + target,
                    new java.nio.file.DirectoryNotEmptyException(target.toString()));
        }
        Path tmp = target.resolveSibling("." + target.getFileName() + PART + java.util.UUID.randomUUID());
        try {
            try (FileChannel in = FileChannel.open(fileOf(v), StandardOpenOption.READ);
                 FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                         StandardOpenOption.SPARSE)) {
                copySparse(in, out, in.size(), progress);
                if (out.size() < in.size()) out.write(ByteBuffer.allocate(1), in.size() - 1);
                out.force(false);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw diskError("export volume " + name + " to " + target, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public void exportTo(String name, OutputStream out) throws IOException {
        try (InputStream in = Files.newInputStream(fileOf(require(name)))) {
            in.transferTo(out);
        }
    }

    /**
     * Removes the volume's record and file, refused while anyone has it open (checked under the
     * open volumes' lock, so no one attaches meanwhile): an open handle would keep serving the
     * deleted file, even to a volume created again under the same name.
     */
    public void remove(String name) throws IOException {
        Volume v = require(name);
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
        require(name);
        try {
            openVolumes.resize(name, newSizeBytes, allowShrink, () -> {
                if (require(name).sizeBytes() != newSizeBytes && !repository.updateSize(name, newSizeBytes)) {
                    throw new IllegalArgumentException("no volume named " + name);
                }
            });
        } catch (IOException e) {
            throw diskError("resize volume " + name, e);
        }
        Volume resized = require(name);
        return resized.withAllocatedBytes(DiskUsage.allocatedBytes(fileOf(resized)));
    }

    public BlockDevice open(String name, boolean readOnly) throws IOException {
        return RawFileBlockDevice.open(fileOf(require(name)), readOnly);
    }

    public Volume require(String name) {
        return repository.byName(name).orElseThrow(() -> new IllegalArgumentException("no volume named " + name));
    }

    private Volume register(String name, long size, Path file) throws IOException {
        Volume v = new Volume(name, size, file.getFileName().toString(), Instant.now());
        try {
            repository.add(v);
        } catch (RuntimeException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        return v.withAllocatedBytes(DiskUsage.allocatedBytes(file)); // the live stream's payload shows it too
    }

    private Path newFile(String name) throws IOException {
        Files.createDirectories(dir);
        if (repository.byName(name).isPresent()) throw new IllegalArgumentException("a volume named " + name + " already exists");
        Path file = dir.resolve(name + ".img");
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

    private static IOException diskError(String what, IOException e) {
        String msg;
        if (e.getMessage() != null && e.getMessage().contains("No space left")) msg = "the disk holding the data folder is full";
        else if (e instanceof java.nio.file.DirectoryNotEmptyException d) msg = d.getFile() + " is a folder";
        else if (e instanceof NoSuchFileException n) msg = n.getFile() + " does not exist";
        else msg = String.valueOf(e.getMessage());
        return new IOException("could not " + what + ": " + msg, e);
    }
}
