package org.netroot.server.tftp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * Turns a requested TFTP file name into a file under one of the roots, searched in order
 * (the iPXE folder, then the boot-files folder), or says why not. Never lets a name out of
 * the roots: {@code ..}, absolute paths, backslash tricks and symlinks whose real path leaves
 * the root are access violations (ERROR 2) — except links only root could have placed (see
 * {@link #placedBySystem}), because the distribution's iPXE folder is made of them.
 */
public final class BootFileResolver {

    public sealed interface Resolution { }

    /** {@code file} is the real path (no symlinks left): open it with NOFOLLOW_LINKS. */
    public record Found(Path file, long size) implements Resolution { }

    public record NotFound(String name) implements Resolution { }

    public record AccessViolation(String name, String reason) implements Resolution { }

    private final List<Path> roots;

    public BootFileResolver(List<Path> roots) {
        this.roots = List.copyOf(roots);
    }

    public List<Path> roots() {
        return roots;
    }

    public Resolution resolve(String requested) {
        // Windows-made configs and some firmware send "boot\x64\wdsmgfw.efi": `\` is a separator
        String name = requested.replace('\\', '/');
        boolean absolute = name.startsWith("/");
        if (absolute) {
            // a client that was given a full path under a root ("/usr/lib/ipxe/undionly.kpxe")
            for (Path root : roots) {
                Path asked = Path.of(name).normalize();
                Path base = root.toAbsolutePath().normalize();
                if (asked.startsWith(base) && !asked.equals(base)) {
                    return lookUp(requested, base.relativize(asked).toString());
                }
            }
            // "/pxelinux.0": one leading slash means "the root" to most clients (tftp-hpa, dnsmasq agree)
            name = name.substring(1);
        }
        if (name.isEmpty()) return new NotFound(requested);
        if (name.startsWith("/")) return new AccessViolation(requested, "absolute path");
        if (name.indexOf('\0') >= 0) return new AccessViolation(requested, "NUL in the name");
        Resolution found = lookUp(requested, name);
        if (absolute && found instanceof NotFound) {
            // "/etc/passwd": an absolute path outside every root. Refuse it as such, whether or not
            // a file of that name exists anywhere (the answer must not reveal it).
            return new AccessViolation(requested, "absolute path outside the TFTP roots");
        }
        return found;
    }

    /**
     * Debian's ipxe package links {@code /usr/lib/ipxe/ipxe.efi} to {@code /boot/ipxe.efi}: a link out of
     * the root is followed only when nobody but root could have made it, i.e. the link, its folder and
     * the target are owned by root and the folder is writable by no one else. A link a user could
     * plant (in a folder they can write) never leads out.
     */
    private static boolean placedBySystem(Path link, Path target) {
        try {
            if (!Files.isSymbolicLink(link)) return false; // a symlinked folder on the way: refuse
            Path folder = link.toAbsolutePath().getParent();
            return ownedByRoot(link) && ownedByRoot(folder) && ownedByRoot(target)
                    && !writableByOthers(folder) && !writableByOthers(target);
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static boolean ownedByRoot(Path path) throws IOException {
        Object uid = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        return uid instanceof Integer n && n == 0;
    }

    private static boolean writableByOthers(Path path) throws IOException {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        return permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE);
    }

    private Resolution lookUp(String requested, String relative) {
        Path path;
        try {
            path = Path.of(relative).normalize();
        } catch (InvalidPathException e) {
            return new AccessViolation(requested, "invalid path: " + e.getReason());
        }
        if (path.isAbsolute()) return new AccessViolation(requested, "absolute path");
        if (path.startsWith("..")) return new AccessViolation(requested, "leaves the root");
        for (Path root : roots) {
            Path candidate = root.resolve(path);
            if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) continue;
            Path real;
            Path realRoot;
            try {
                realRoot = root.toRealPath();
                real = candidate.toRealPath();
            } catch (NoSuchFileException e) {
                continue; // a dangling symlink: as good as absent
            } catch (IOException e) {
                return new AccessViolation(requested, "cannot read: " + e.getMessage());
            }
            // a symlink (or a symlinked folder on the way) whose target is outside this root
            if (!real.startsWith(realRoot) && !placedBySystem(candidate, real)) {
                return new AccessViolation(requested, "symlink leaves the root to " + real);
            }
            if (!Files.isRegularFile(real)) continue;
            if (!Files.isReadable(real)) return new AccessViolation(requested, "not readable");
            try {
                return new Found(real, Files.size(real));
            } catch (IOException e) {
                return new AccessViolation(requested, "cannot read: " + e.getMessage());
            }
        }
        return new NotFound(requested);
    }
}
