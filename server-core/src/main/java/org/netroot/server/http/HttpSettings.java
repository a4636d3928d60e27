package org.netroot.server.http;

import java.nio.file.Path;

/** What the boot HTTP service needs: where it listens, where iSCSI is, what files it may serve. */
public record HttpSettings(String bindAddress, int port, int iscsiPort, Path bootFilesDir, Path ipxeDir) {
}
