package org.netroot.server.runtime;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What an iPXE folder saved in the settings must be. TFTP serves that folder to anyone on the served
 * network without a password, so it must be a real folder of boot files: absolute (a relative one
 * would follow whatever folder the server starts in), existing, not the file system's root, and
 * neither the data folder nor around it nor in it (the database holds the CHAP secrets, control.json
 * the API's token, volumes the disks), also through a symbolic link.
 */
public final class IpxeFolderRule {
    private IpxeFolderRule() {
    }

    private static Path realOrAbsolute(Path p) {
        try {
            return p.toRealPath();
        } catch (java.io.IOException e) { // a data folder not made yet
            return p.toAbsolutePath().normalize();
        }
    }

    /** Why {@code folder} cannot be the iPXE folder, in words; empty when it can (or is not set). */
    public static Optional<String> problem(String folder, Path dataDir) {
        if (folder == null || folder.isBlank()) return Optional.empty();
        Path dir;
        try {
            dir = Path.of(folder);
        } catch (InvalidPathException e) {
            return Optional.of("the iPXE folder " + folder + " is no valid path: " + e.getReason());
        }
        if (!dir.isAbsolute()) return Optional.of("give the iPXE folder as a full path (like /usr/lib/ipxe), not " + folder);
        dir = dir.normalize();
        if (!Files.isDirectory(dir)) return Optional.of("the iPXE folder " + dir + " does not exist or is no folder");
        Path real = realOrAbsolute(dir); // where TFTP really serves from: a link to / is /
        if (real.getParent() == null) return Optional.of("the iPXE folder cannot be " + dir + ": TFTP would serve the whole disk");
        Path data = realOrAbsolute(dataDir);
        if (data.startsWith(real) || real.startsWith(data)) {
            return Optional.of("the iPXE folder cannot be " + dir + ": it is or holds or lies in Netroot's data folder ("
                    + data + ", with the clients' CHAP secrets and disks), which TFTP would then serve to anyone");
        }
        return Optional.empty();
    }
}
