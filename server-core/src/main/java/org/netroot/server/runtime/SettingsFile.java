package org.netroot.server.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.netroot.server.api.Json;
import org.netroot.server.api.PrivateFiles;
import org.netroot.server.api.ServerSettings;
import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.dhcp.DhcpPacket;

/**
 * The data folder's settings.json: the saved {@link ServerSettings}, and how they turn into a
 * {@link ServerConfig} (for the app's in-process server and {@code netroot serve} without options).
 */
public final class SettingsFile {
    public static final String FILE_NAME = "settings.json";

    private SettingsFile() {
    }

    public static Path path(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /** The saved settings, empty when none were saved; a file that cannot be read is an error in words. */
    public static Optional<ServerSettings> read(Path dataDir) {
        Path file = path(dataDir);
        if (!Files.exists(file)) return Optional.empty();
        try {
            return Optional.of(Json.MAPPER.readValue(Files.readString(file), ServerSettings.class));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the saved settings " + file + ": " + e.getMessage()
                    + " (fix or remove the file, then run the setup again)", e);
        }
    }

    public static void write(Path dataDir, ServerSettings settings) {
        try {
            Files.createDirectories(dataDir);
            PrivateFiles.writeAtomically(path(dataDir), Json.MAPPER.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(settings));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the settings in " + path(dataDir) + ": " + e.getMessage(), e);
        }
    }

    /** {@code base} with the saved interfaces, DHCP mode, range, router, DNS, server address and iPXE folder. */
    public static ServerConfig apply(ServerConfig base, ServerSettings s) {
        DhcpMode mode = DhcpMode.valueOf(s.dhcpMode());
        boolean full = mode == DhcpMode.FULL;
        return new ServerConfig(base.dataDir(), s.interfaces(), mode, full ? ipv4(s.rangeStart()) : null,
                full ? ipv4(s.rangeEnd()) : null, or(ipv4(s.serverAddress()), base.serverAddress()), base.dhcpPort(),
                base.proxyDhcpPort(), base.tftpPort(), base.httpPort(), base.iscsiPort(), base.controlPort(),
                s.ipxeDir() == null || s.ipxeDir().isBlank() ? base.ipxeDir() : Path.of(s.ipxeDir()),
                base.bootFilesDir(), base.leaseSeconds(), or(ipv4(s.router()), base.router()),
                s.dns().isEmpty() ? base.dnsServers() : s.dns().stream().map(SettingsFile::ipv4).toList(),
                base.listenAll(), base.nbdPort());
    }

    private static Inet4Address ipv4(String text) {
        return text == null || text.isBlank() ? null : DhcpPacket.ipv4(text.trim());
    }

    private static <T> T or(T a, T b) {
        return a != null ? a : b;
    }
}
