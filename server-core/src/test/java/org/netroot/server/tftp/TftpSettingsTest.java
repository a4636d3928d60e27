package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.netroot.server.service.ServerConfig;

class TftpSettingsTest {
    static ServerConfig config(Path ipxe, Path bootFiles) {
        return new ServerConfig(Path.of("/data"), List.of(), ServerConfig.DhcpMode.OFF, null, null, null,
                67, 4011, 6969, 80, 3260, 7067, ipxe, bootFiles, 3600);
    }

    @Test
    void rootsAreTheIpxeFolderThenTheBootFiles() {
        TftpSettings both = TftpSettings.from(config(Path.of("/opt/ipxe"), Path.of("/srv/boot")));
        assertEquals(List.of(Path.of("/opt/ipxe"), Path.of("/srv/boot")), both.roots());
        assertEquals(6969, both.port());
        assertEquals("0.0.0.0", both.bindAddress().getHostAddress());
        assertEquals(List.of(ServerConfig.DEFAULT_IPXE_DIR), TftpSettings.from(config(null, null)).roots());
    }

    @Test
    void aServiceWithoutFoldersIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new TftpSettings(TftpSettings.anyAddress(), 69, List.of(), TftpSettings.DEFAULT_TIMEOUT, 5));
    }
}
