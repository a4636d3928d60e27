package org.netroot.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Where a running server's control API listens and the token it wants, kept in
 * {@code <data>/control.json}, readable only by the user who runs the server (and by its control
 * group, when it has one: {@link PrivateFiles}).
 */
public record ControlEndpoint(int port, String token) {
    public static final String FILE_NAME = "control.json";

    public static ControlEndpoint fresh(int port) {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return new ControlEndpoint(port, HexFormat.of().formatHex(b));
    }

    public static Path file(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    public void write(Path dataDir) throws IOException {
        write(dataDir, null);
    }

    /** Publishes this endpoint; {@code group} (may be null) may read it too. */
    public void write(Path dataDir, String group) throws IOException {
        PrivateFiles.writeAtomically(file(dataDir), new ObjectMapper().writeValueAsString(this), group);
    }

    public static Optional<ControlEndpoint> read(Path dataDir) {
        Path f = file(dataDir);
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            return Optional.of(new ObjectMapper().readValue(f.toFile(), ControlEndpoint.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    public static void remove(Path dataDir) {
        try {
            Files.deleteIfExists(file(dataDir));
        } catch (IOException ignored) {
            // a stale file is harmless: clients fall back when nothing answers
        }
    }
}
