package org.netroot.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import org.netroot.server.api.Asset;
import org.netroot.server.api.AssetKind;
import org.netroot.server.store.AssetRepository;

/**
 * The asset library's files: {@code <data>/assets/<name>}, recorded in the database with their size
 * and SHA-256. An add copies the file to a hidden part file of its own (hashing as it goes), links it
 * into place only when complete, then records it: a stop or kill mid-copy leaves only a part file,
 * and one between the link and the record an unrecorded file, both removed at the next start. That
 * order (file before record; on removal, record before file) means a recorded asset always has its
 * file; the other order could leave a record whose file a crash never wrote. What is recorded is also
 * held in memory, so the boot services look assets up on their event loops without the database.
 * The file to add is checked by {@link AssetSource}: never one of the data folder's.
 */
public final class AssetStore {
    public static final String FOLDER = "assets";
    private static final int COPY_CHUNK = 1 << 20;
    private static final String PART = ".part-";

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AssetStore.class);
    private final Path dataDir;
    private final Path dir;
    private final AssetRepository repository;
    /** By name; replaced whole after each write that succeeded. */
    private volatile Map<String, Asset> byName;
    /** Names an add is copying to: a second add of one is refused at once, not raced on disk. */
    private final Set<String> adding = new HashSet<>();

    public AssetStore(Path dataDir, AssetRepository repository) {
        this.dataDir = dataDir;
        this.dir = dataDir.resolve(FOLDER);
        this.repository = repository;
        reload();
    }

    /** The assets folder (it may not exist before the first add). */
    public Path folder() {
        return dir;
    }

    public List<Asset> list() {
        return List.copyOf(byName.values());
    }

    public Optional<Asset> find(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(byName.get(name));
    }

    public Asset require(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("no asset named " + name
                + " (netroot asset list shows the library)"));
    }

    /** The file of a recorded asset: the folder and the asset's name, never a path someone else chose. */
    public Path fileOf(Asset a) {
        return dir.resolve(a.name());
    }

    /**
     * Where {@code source} really is, when it may be added: a regular file outside the data folder
     * (see {@link AssetSource}); refused with an {@link IllegalArgumentException} otherwise.
     */
    public Path checkSource(Path source) throws IOException {
        return AssetSource.check(source, dataDir);
    }

    /**
     * Claims {@code name} for an add: checked, free, and no other add of it running. Close the
     * claim when the add ended, whatever the outcome.
     */
    public AutoCloseable reserve(String name) {
        if (!Asset.isValidName(name)) throw new IllegalArgumentException(Asset.nameRule() + ": " + name);
        synchronized (adding) {
            if (byName.containsKey(name)) {
                throw new IllegalArgumentException("the library has an asset named " + name + " already: remove it first"
                        + " (netroot asset remove " + name + ") or choose another name");
            }
            if (!adding.add(name)) throw new IllegalArgumentException("asset " + name + " is being added already");
        }
        return () -> {
            synchronized (adding) {
                adding.remove(name);
            }
        };
    }

    /**
     * Copies {@code source} in as asset {@code name} of {@code kind} (null: guessed from the file),
     * under a claim from {@link #reserve}. {@code progress} hears of every MiB; answering false
     * cancels the add (it then throws {@link CancellationException}, leaving nothing behind).
     */
    public Asset add(String name, AssetKind kind, Path source, VolumeStore.CopyProgress progress) throws IOException {
        Path real = checkSource(source);
        Files.createDirectories(dir);
        Path target = dir.resolve(name);
        Path part = dir.resolve("." + name + PART + java.util.UUID.randomUUID());
        MessageDigest sha256 = sha256();
        long size;
        AssetKind k = kind;
        try {
            try (FileChannel in = AssetSource.open(real);
                 FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                if (k == null) k = kindOf(in, source);
                size = in.size();
                ByteBuffer buf = ByteBuffer.allocateDirect(COPY_CHUNK);
                long done = 0;
                if (!progress.proceed(0, size)) throw new CancellationException("cancelled");
                while (true) {
                    buf.clear();
                    int n = in.read(buf);
                    if (n < 0) break;
                    buf.flip();
                    sha256.update(buf.duplicate());
                    while (buf.hasRemaining()) out.write(buf);
                    done += n;
                    if (!progress.proceed(done, size)) throw new CancellationException("cancelled");
                }
                size = done;
                out.force(true);
            }
            Files.createLink(target, part); // atomic, and fails rather than replace a file of that name
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new IllegalArgumentException("file " + target + " already exists; remove it first", e);
        } catch (IOException e) {
            String why = DiskFullException.isDiskFull(e, part) ? "the disk holding " + dir + " is full" : e.getMessage();
            throw new IOException("could not add " + source + " as asset " + name + ": " + why, e);
        } finally {
            Files.deleteIfExists(part);
        }
        Asset asset = new Asset(name, k, size, HexFormat.of().formatHex(sha256.digest()), Instant.now());
        try {
            repository.add(asset, name);
        } catch (RuntimeException e) {
            Files.deleteIfExists(target);
            throw e;
        }
        reload();
        return asset;
    }

    /** Removes the asset's record, then its file. */
    public void remove(String name) throws IOException {
        Asset a = require(name);
        if (!repository.remove(name)) throw new IllegalArgumentException("no asset named " + name);
        reload();
        Files.deleteIfExists(fileOf(a));
    }

    /**
     * Deletes the files in the asset folder named like an asset that no record names: what a crash
     * between linking an add's file into place and recording it (or between removing a record and its
     * file) left. Unserved as they are (HTTP serves recorded names only), they would block an add of
     * that name. Call once the database is this process's, before any add.
     */
    public int removeUnrecorded() {
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        try (var files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!Asset.isValidName(name) || byName.containsKey(name)) continue;
                if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                Files.delete(f);
                log.warn("removed {}: an asset file with no record (an add or a removal was cut off)", f);
                n++;
            }
        } catch (IOException e) {
            log.warn("could not clean the asset folder {}: {}", dir, e.toString()); // a later start tries again
        }
        return n;
    }

    /** Deletes the part files of adds a stop or kill interrupted; call once the database is this process's. */
    public int removeStaleParts() {
        if (!Files.isDirectory(dir)) return 0;
        int n = 0;
        try (var files = Files.newDirectoryStream(dir, ".*" + PART + "*")) {
            for (Path f : files) if (Files.deleteIfExists(f)) n++;
        } catch (IOException e) {
            // a later start tries again; nothing depends on it
        }
        return n;
    }

    /**
     * The kind a file is, when not told: by its bytes (a Linux boot header "HdrS" at 0x202, an
     * ISO 9660 volume descriptor "CD001" at 0x8001), else by its name; refused when neither says.
     */
    public static AssetKind kindOf(Path file) throws IOException {
        return kindOf(file, file);
    }

    /** {@link #kindOf(Path)} of the file at {@code real}, by the name it was given ({@code named}: a link's). */
    public static AssetKind kindOf(Path real, Path named) throws IOException {
        try (FileChannel ch = AssetSource.open(real)) {
            return kindOf(ch, named);
        }
    }

    /** {@link #kindOf(Path)} of an open file, named {@code file}. */
    private static AssetKind kindOf(FileChannel ch, Path file) throws IOException {
        if (has(ch, 0x202, "HdrS")) return AssetKind.KERNEL;
        if (has(ch, 0x8001, "CD001")) return AssetKind.ISO;
        AssetKind byName = AssetKind.guess(file.getFileName().toString());
        if (byName != null) return byName;
        throw new IllegalArgumentException("cannot tell what " + file.getFileName() + " is: say it with --kind (kernel,"
                + " initrd, iso, root-image)");
    }

    private static boolean has(FileChannel ch, long at, String magic) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(magic.length());
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) return false;
        }
        return new String(b.array(), java.nio.charset.StandardCharsets.US_ASCII).equals(magic);
    }

    private void reload() {
        Map<String, Asset> m = new TreeMap<>();
        for (Asset a : repository.list()) m.put(a.name(), a);
        byName = java.util.Collections.unmodifiableMap(m);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every JDK has SHA-256", e);
        }
    }
}
