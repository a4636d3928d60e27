package org.netroot.server.http;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Maps a URL path to a file in one folder (boot files, iPXE binaries), refusing anything that
 * leaves it ({@code ..}, absolute paths, encoded tricks, symlinks pointing outside).
 */
public final class AssetResolver {
    private final Path root;

    public AssetResolver(Path root) {
        this.root = root == null ? null : root.toAbsolutePath().normalize();
    }

    public sealed interface Result permits Found, Refused, Missing {
    }

    public record Found(Path file) implements Result {
    }

    public record Refused(String reason) implements Result {
    }

    public record Missing() implements Result {
    }

    /** @param relative the decoded path after /files/ */
    public Result resolve(String relative) {
        if (root == null) return new Missing();
        if (relative.indexOf('\0') >= 0 || relative.contains("\\")) return new Refused("bad character in path");
        Path candidate = root.resolve(relative.startsWith("/") ? relative.substring(1) : relative).normalize();
        if (!candidate.startsWith(root)) return new Refused("path leaves the served folder");
        if (!Files.isRegularFile(candidate)) return new Missing();
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(root.toRealPath())) return new Refused("link points outside the served folder");
            return new Found(real);
        } catch (IOException e) {
            return new Missing();
        }
    }

    public Optional<Path> root() {
        return Optional.ofNullable(root);
    }
}
