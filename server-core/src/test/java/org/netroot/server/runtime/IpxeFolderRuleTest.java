package org.netroot.server.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The iPXE folder TFTP serves to the network: a real folder of boot files, never the disk or the data folder. */
class IpxeFolderRuleTest {
    @TempDir
    Path tmp;

    @Test
    void aFolderOfBootFilesBesideTheDataFolderIsFineAndUnsetMeansTheDefault() throws Exception {
        Path ipxe = Files.createDirectories(tmp.resolve("ipxe"));
        assertEquals(Optional.empty(), IpxeFolderRule.problem(ipxe.toString(), tmp.resolve("data")));
        assertEquals(Optional.empty(), IpxeFolderRule.problem(null, tmp.resolve("data")));
        assertEquals(Optional.empty(), IpxeFolderRule.problem(" ", tmp.resolve("data")));
    }

    @Test
    void refusesWhatWouldServeTooMuchOrNothing() throws Exception {
        Path data = Files.createDirectories(tmp.resolve("home/me/netroot"));
        assertTrue(problem("/", data).contains("whole disk"));
        assertTrue(problem(tmp.resolve("home").toString(), data).contains("CHAP secrets"), "a folder around the data folder");
        assertTrue(problem(data.toString(), data).contains("CHAP secrets"), "the data folder itself");
        assertTrue(problem(tmp.resolve("home/me/../me").toString(), data).contains("CHAP secrets"), "however it is spelt");
        assertTrue(problem(Files.createDirectories(data.resolve("volumes")).toString(), data).contains("CHAP secrets"),
                "a folder in the data folder (the disks)");
        Path linkToRoot = Files.createSymbolicLink(tmp.resolve("looks-harmless"), Path.of("/"));
        assertTrue(problem(linkToRoot.toString(), data).contains("whole disk"), "a link to / is /");
        assertTrue(problem("ipxe", data).contains("full path"));
        assertTrue(problem(tmp.resolve("missing").toString(), data).contains("does not exist"));
        assertTrue(problem("/bad\0path", data).contains("no valid path"));
    }

    private static String problem(String folder, Path data) {
        return IpxeFolderRule.problem(folder, data).orElseThrow(() -> new AssertionError("accepted " + folder));
    }
}
