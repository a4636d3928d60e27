package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class TftpSettingsTest {
    @Test
    void aServiceWithoutFoldersIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new TftpSettings(TftpSettings.anyAddress(), 69, List.of(), TftpSettings.DEFAULT_TIMEOUT, 5));
    }
}
