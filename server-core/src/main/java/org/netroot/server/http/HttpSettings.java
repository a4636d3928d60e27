package org.netroot.server.http;

import java.nio.file.Path;
import org.netroot.server.service.ServerConfig;

/** What the boot HTTP service needs: where it listens, where iSCSI is, what files it may serve. */
public record HttpSettings(String bindAddress, int port, int iscsiPort, Path bootFilesDir, Path ipxeDir) {
    public static HttpSettings from(ServerConfig c) {
        return new HttpSettings("0.0.0.0", c.httpPort(), c.iscsiPort(), c.bootFilesDir(), c.ipxeDir());
    }
}
