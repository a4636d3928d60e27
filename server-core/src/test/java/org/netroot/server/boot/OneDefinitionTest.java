package org.netroot.server.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The script URL and the iPXE binary names are written once, in this package, and used from there. */
class OneDefinitionTest {
    private static final Path MAIN = Path.of("src/main/java");

    /** Source files (relative to src/main/java) that hold {@code text} as a string literal. */
    private static List<String> filesWithLiteral(String text) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(f).contains("\"" + text + "\"")) found.add(MAIN.relativize(f).toString());
            }
        }
        return found;
    }

    @Test
    void theScriptUrlIsDefinedOnce() throws IOException {
        assertEquals(List.of("org/netroot/server/boot/BootUrls.java"), filesWithLiteral("/boot/"));
        assertEquals(List.of("org/netroot/server/boot/BootUrls.java"), filesWithLiteral(".ipxe"));
        assertEquals(List.of("org/netroot/server/boot/BootUrls.java"), filesWithLiteral("/ipxe/"));
    }

    @Test
    void theIpxeBinaryNamesAreDefinedOnce() throws IOException {
        for (String name : List.of("undionly.kpxe", "snponly.efi", "ipxe.efi", "/usr/lib/ipxe")) {
            assertEquals(List.of("org/netroot/server/boot/IpxeBinaries.java"), filesWithLiteral(name), name);
        }
    }

    @Test
    void theUrlsAreWhatIpxeAndDhcpExpect() {
        assertEquals("http://198.18.0.1/boot/52:54:00:00:00:01.ipxe",
                BootUrls.script(BootUrls.httpBase("198.18.0.1", 80), "52:54:00:00:00:01"));
        assertEquals("http://198.18.0.1:8080/ipxe/snponly.efi",
                BootUrls.ipxeBinary(BootUrls.httpBase("198.18.0.1", 8080), "snponly.efi"));
        assertEquals("52:54:00:00:00:01", BootUrls.scriptMac("/boot/52:54:00:00:00:01.ipxe").orElseThrow());
        assertEquals(true, BootUrls.scriptMac("/files/x.ipxe").isEmpty());
    }
}
