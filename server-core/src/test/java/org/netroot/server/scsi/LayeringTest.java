package org.netroot.server.scsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** gotgt's shape: scsi knows block devices, not iSCSI or the network; only IscsiService touches Netty. */
class LayeringTest {
    static final Path MAIN = Path.of("src/main/java/org/netroot/server");

    static List<Path> sources(String pkg) throws IOException {
        try (Stream<Path> s = Files.list(MAIN.resolve(pkg))) {
            return s.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void scsiImportsNeitherIscsiNorNetty() throws IOException {
        List<Path> files = sources("scsi");
        assertTrue(files.size() >= 5, "scsi sources found: " + files);
        for (Path f : files) {
            String src = Files.readString(f);
            assertTrue(!src.contains("import io.netty") && !src.contains("org.netroot.server.iscsi")
                    && !src.contains("java.net."), f + " must not know the network");
        }
    }

    @Test
    void onlyTheServiceClassImportsNetty() throws IOException {
        List<String> withNetty = sources("iscsi").stream().filter(f -> {
            try {
                return Files.readString(f).contains("import io.netty");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).map(f -> f.getFileName().toString()).toList();
        assertEquals(List.of("IscsiService.java"), withNetty);
    }
}
