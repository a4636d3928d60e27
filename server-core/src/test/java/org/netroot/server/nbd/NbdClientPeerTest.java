package org.netroot.server.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.Client;
import org.netroot.server.testing.Processes;

/**
 * Debian's nbd-client (the tool initramfs scripts use) against the server: {@code nbd-client -l}
 * lists the exports over the fixed newstyle handshake (NBD_OPT_LIST, then NBD_OPT_ABORT). Needs no
 * kernel module; connecting a /dev/nbdX would, and this machine has none.
 */
class NbdClientPeerTest {
    @TempDir
    Path dir;
    NbdLab lab;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Processes.has("nbd-client"), "nbd-client missing: apt-get install nbd-client (Debian's NBD client)");
        lab = new NbdLab(dir);
    }

    @AfterEach
    void stop() {
        if (lab != null) lab.close();
    }

    @Test
    void listShowsTheExportsOfThisAddressOnly() throws Exception {
        Client mine = lab.addClient("pc1", "52:54:00:00:00:01", 1 << 20);
        Client other = lab.addClient("pc2", "52:54:00:00:00:02", 1 << 20, "raw", "10.99.0.2");
        Processes.Combined r = Processes.runCombined(30, "nbd-client", "-l", "127.0.0.1", String.valueOf(lab.service.port()));
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains(mine.volumeName()), r.output());
        assertFalse(r.output().contains(other.volumeName()), "another address's volume is not listed:\n" + r.output());
        assertEquals(0, lab.dropped(), "nbd-client's handshake is not garbage:\n" + r.output());
    }

    @Test
    void anAddressWithoutAClientIsShownNoOtherAddressesExport() throws Exception {
        lab.addClient("pc2", "52:54:00:00:00:02", 1 << 20, "raw", "10.99.0.2");
        Processes.Combined r = Processes.runCombined(30, "nbd-client", "-l", "127.0.0.1", String.valueOf(lab.service.port()));
        assertFalse(r.output().contains("pc2-disk"), r.output());
        assertEquals(0, lab.dropped(), r.output());
    }
}
