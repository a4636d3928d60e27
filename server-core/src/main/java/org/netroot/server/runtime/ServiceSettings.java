package org.netroot.server.runtime;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.dhcp.DhcpSettings;
import org.netroot.server.dhcp.IpxeBinaries;
import org.netroot.server.http.HttpSettings;
import org.netroot.server.iscsi.IscsiSettings;
import org.netroot.server.tftp.TftpSettings;

/** Each protocol's settings from what {@code netroot serve} was told: the services know nothing of ServerConfig. */
public final class ServiceSettings {
    private ServiceSettings() {
    }

    /** The DHCP part. Only call it when DHCP is on ({@code dhcpMode != OFF} and at least one interface). */
    public static DhcpSettings dhcp(ServerConfig config) {
        DhcpMode mode = config.dhcpMode() == null ? DhcpMode.PROXY : config.dhcpMode();
        return new DhcpSettings(config.interfaces(), mode, config.rangeStart(), config.rangeEnd(),
                config.serverAddress(), config.router(), config.dnsServers(), config.leaseSeconds(), config.dhcpPort(),
                config.proxyDhcpPort(), config.httpPort(), config.ipxeDir());
    }

    /** The iPXE folder first, then the boot-files folder when one was given. */
    public static TftpSettings tftp(ServerConfig config) {
        List<Path> roots = new ArrayList<>();
        roots.add(ipxeDir(config));
        if (config.bootFilesDir() != null) roots.add(config.bootFilesDir());
        return new TftpSettings(TftpSettings.anyAddress(), config.tftpPort(), roots, TftpSettings.DEFAULT_TIMEOUT,
                TftpSettings.DEFAULT_RETRIES);
    }

    public static HttpSettings http(ServerConfig c) {
        return new HttpSettings("0.0.0.0", c.httpPort(), c.iscsiPort(), c.bootFilesDir(), c.ipxeDir());
    }

    public static IscsiSettings iscsi(ServerConfig config) {
        return new IscsiSettings((InetAddress) null, config.iscsiPort());
    }

    public static Path ipxeDir(ServerConfig config) {
        return config.ipxeDir() != null ? config.ipxeDir() : IpxeBinaries.DEFAULT_DIR;
    }
}
