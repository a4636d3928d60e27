package org.netroot.server.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * A file someone asks the server to import as an asset. The server opens it with its own rights
 * (root, or the netroot user, which owns the data folder), and an asset is then served to anyone over
 * HTTP: so a file of the data folder (a client's volume, the database, control.json with the API
 * token) is refused, whichever way it is named: by a path inside it, through a symbolic link (its
 * real path is checked), or as a hard link elsewhere (its file identity is checked against the data
 * folder's files). The file opened is the real path, without following a link in its last component,
 * so that component cannot be swapped for a link between the check and the open.
 */
final class AssetSource {
    private AssetSource() {
    }

    /** The real path of {@code source}, a regular file outside {@code dataDir}; refused in words otherwise. */
    static Path check(Path source, Path dataDir) throws IOException {
        Path given = source.toAbsolutePath().normalize();
        Path real;
        try {
            real = given.toRealPath();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + source);
        }
        Path data = dataDir.toAbsolutePath().normalize();
        Path dataReal = Files.exists(data) ? data.toRealPath() : data;
        if (given.startsWith(data) || real.startsWith(dataReal) || given.startsWith(dataReal) || real.startsWith(data)) {
            throw insideDataFolder(source, dataDir);
        }
        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isRegularFile()) throw new IllegalArgumentException(source + " is not a regular file");
        if (a.fileKey() != null && Files.isDirectory(dataReal) && isLinkedInto(real, a.fileKey(), dataReal)) {
            throw insideDataFolder(source, dataDir);
        }
        return real;
    }

    /** Opens what {@link #check} returned for reading, refusing a link put there since. */
    static FileChannel open(Path real) throws IOException {
        return FileChannel.open(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether a file of the data folder is this file (a hard link to a volume, say). */
    private static boolean isLinkedInto(Path real, Object fileKey, Path dataDir) throws IOException {
        if (linkCount(real) == 1) return false; // its one name is outside the data folder
        boolean[] found = {false};
        Files.walkFileTree(dataDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes b) {
                if (b.isRegularFile() && Objects.equals(b.fileKey(), fileKey)) {
                    found[0] = true;
                    return FileVisitResult.TERMINATE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE; // gone meanwhile, or unreadable: not a file we could serve
            }
        });
        return found[0];
    }

    /** How many names the file has; 0 when the file system does not say (then the data folder is searched). */
    private static int linkCount(Path real) {
        try {
            return (Integer) Files.getAttribute(real, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return 0;
        }
    }

    private static IllegalArgumentException insideDataFolder(Path source, Path dataDir) {
        return new IllegalArgumentException(source + " is a file of Netroot's data folder (" + dataDir + "): volumes,"
                + " the database and the control token are never assets, which anyone on the network may download;"
                + " copy a volume out with `netroot volume export` first");
    }
}
