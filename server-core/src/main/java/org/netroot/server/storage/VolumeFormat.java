package org.netroot.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.netroot.server.storage.qcow2.BackingFile;
import org.netroot.server.storage.qcow2.Qcow2BlockDevice;

/**
 * How a volume's file holds its disk, chosen by name ({@code raw}, {@code qcow2}): the one place
 * that creates and opens a volume file of a format (gotgt registers its backing stores by name the
 * same way). Both are sparse: a new volume takes almost no space until written.
 */
public enum VolumeFormat {
    RAW("raw", ".img") {
        @Override
        public void create(Path file, long sizeBytes, Optional<Backing> backing) throws IOException {
            if (backing.isPresent()) throw new IllegalArgumentException("only a qcow2 volume can be an overlay");
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    StandardOpenOption.SPARSE)) {
                ch.write(ByteBuffer.allocate(1), sizeBytes - 1); // sets the size, leaves the rest a hole
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(file);
                throw e;
            }
        }

        @Override
        public BlockDevice open(Path file, boolean readOnly) throws IOException {
            return RawFileBlockDevice.open(file, readOnly);
        }
    },
    QCOW2("qcow2", ".qcow2") {
        /**
         * An overlay names its backing file relative to its own folder, as {@code qemu-img create -b}
         * does, with the golden image's format as Netroot recorded it: never guessed from the golden
         * file's bytes (a raw image's first sector is whatever its client wrote there, a qcow2 header
         * naming a server file included).
         */
        @Override
        public void create(Path file, long sizeBytes, Optional<Backing> backing) throws IOException {
            Optional<BackingFile> b = Optional.empty();
            if (backing.isPresent()) {
                Path golden = backing.get().file();
                String name = golden.toAbsolutePath().getParent().equals(file.toAbsolutePath().getParent())
                        ? golden.getFileName().toString() : golden.toAbsolutePath().toString();
                b = Optional.of(new BackingFile(name, backing.get().format() == QCOW2 ? BackingFile.Format.QCOW2
                        : BackingFile.Format.RAW));
            }
            Qcow2BlockDevice.create(file, sizeBytes, b);
        }

        @Override
        public BlockDevice open(Path file, boolean readOnly) throws IOException {
            return Qcow2BlockDevice.open(file, readOnly);
        }
    };

    /** A golden image an overlay reads from: its file and its format (as recorded, not probed). */
    public record Backing(Path file, VolumeFormat format) {
    }

    private final String id;
    private final String extension;

    VolumeFormat(String id, String extension) {
        this.id = id;
        this.extension = extension;
    }

    /** The name users and the database use: "raw", "qcow2". */
    public String id() {
        return id;
    }

    /** The volume file's ending: ".img" for raw (as before formats), ".qcow2". */
    public String extension() {
        return extension;
    }

    /** Writes a new sparse volume file of {@code sizeBytes}; {@code backing}: an overlay of that file (qcow2 only). */
    public abstract void create(Path file, long sizeBytes, Optional<Backing> backing) throws IOException;

    public abstract BlockDevice open(Path file, boolean readOnly) throws IOException;

    /** The format for a new volume: the one named, or {@link org.netroot.server.api.Volume#DEFAULT_FORMAT} for null. */
    public static VolumeFormat forNewVolume(String id) {
        return byName(id == null || id.isBlank() ? org.netroot.server.api.Volume.DEFAULT_FORMAT : id);
    }

    /** The format named {@code id} (any case). */
    public static VolumeFormat byName(String id) {
        if (id == null) throw new IllegalArgumentException("give a volume format: one of " + names());
        for (VolumeFormat f : values()) if (f.id.equals(id.toLowerCase(Locale.ROOT))) return f;
        throw new IllegalArgumentException("volume format " + id + " is not known: use one of " + names());
    }

    public static String names() {
        return String.join(", ", List.of(values()).stream().map(VolumeFormat::id).toList());
    }

    /**
     * The name of a disk image format only {@code qemu-img convert} reads (VMDK, VHDX, VHD, VDI, QED),
     * told by its magic; empty for raw and qcow2, which Netroot reads itself.
     */
    public static Optional<String> foreign(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate(512);
            while (head.hasRemaining() && ch.read(head, head.position()) > 0) { }
            String start = new String(head.array(), 0, 24, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (start.startsWith("KDMV") || start.startsWith("COWD") || start.startsWith("# Disk DescriptorFile")) {
                return Optional.of("VMDK");
            }
            if (start.startsWith("vhdxfile")) return Optional.of("VHDX");
            if (start.startsWith("conectix")) return Optional.of("VHD");
            if (start.startsWith("QED\0")) return Optional.of("QED");
            if (head.position() >= 0x44 && head.order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(0x40) == 0xbeda107f) {
                return Optional.of("VDI");
            }
            long size = ch.size();
            if (size >= 1024) { // a fixed VHD is raw bytes with a footer at the end
                ByteBuffer foot = ByteBuffer.allocate(8);
                while (foot.hasRemaining() && ch.read(foot, size - 512 + foot.position()) > 0) { }
                if (new String(foot.array(), java.nio.charset.StandardCharsets.ISO_8859_1).equals("conectix")) {
                    return Optional.of("VHD");
                }
            }
            return Optional.empty();
        }
    }

    /** qcow2 when the file starts with qcow2's magic, else raw (what qemu-img probes too). */
    public static VolumeFormat probe(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(4);
            while (b.hasRemaining() && ch.read(b, b.position()) > 0) { }
            return b.position() == 4 && b.getInt(0) == org.netroot.server.storage.qcow2.Qcow2Header.MAGIC ? QCOW2 : RAW;
        }
    }
}
