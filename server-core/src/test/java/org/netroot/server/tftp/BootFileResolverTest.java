package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootFileResolverTest {
    @TempDir Path dir;
    Path ipxe;
    Path bootFiles;
    Path outside;
    BootFileResolver resolver;

    @BeforeEach
    void tree() throws Exception {
        ipxe = Files.createDirectories(dir.resolve("ipxe"));
        bootFiles = Files.createDirectories(dir.resolve("boot"));
        outside = Files.createDirectories(dir.resolve("secret"));
        Files.writeString(ipxe.resolve("undionly.kpxe"), "ipxe");
        Files.writeString(bootFiles.resolve("undionly.kpxe"), "shadowed");
        Files.createDirectories(bootFiles.resolve("efi/boot"));
        Files.writeString(bootFiles.resolve("efi/boot/bootx64.efi"), "efi");
        Files.writeString(outside.resolve("passwd"), "root:x:0:0");
        Files.createSymbolicLink(bootFiles.resolve("escape"), outside.resolve("passwd"));
        Files.createSymbolicLink(bootFiles.resolve("escape-dir"), outside);
        Files.createSymbolicLink(bootFiles.resolve("alias.efi"), bootFiles.resolve("efi/boot/bootx64.efi"));
        Files.createSymbolicLink(bootFiles.resolve("relative-alias.efi"), Path.of("efi/boot/bootx64.efi"));
        resolver = new BootFileResolver(List.of(ipxe, bootFiles));
    }

    private Path found(String name) throws Exception {
        return assertInstanceOf(BootFileResolver.Found.class, resolver.resolve(name), name).file();
    }

    private void refused(String name) {
        assertInstanceOf(BootFileResolver.AccessViolation.class, resolver.resolve(name), name);
    }

    @Test
    void rootsAreSearchedInOrder() throws Exception {
        assertEquals("ipxe", Files.readString(found("undionly.kpxe")));
        assertEquals("efi", Files.readString(found("efi/boot/bootx64.efi")));
    }

    @Test
    void backslashesAndOneLeadingSlashAreAccepted() throws Exception {
        assertEquals("efi", Files.readString(found("efi\\boot\\bootx64.efi")));
        assertEquals("efi", Files.readString(found("\\efi\\boot\\bootx64.efi")));
        assertEquals("efi", Files.readString(found("/efi/boot/bootx64.efi")));
        assertEquals("efi", Files.readString(found("efi/./boot/../boot/bootx64.efi")));
        // a full path that lies under a root, as some configs give it
        assertEquals("efi", Files.readString(found(bootFiles.resolve("efi/boot/bootx64.efi").toString())));
    }

    @Test
    void traversalIsAnAccessViolation() {
        refused("../secret/passwd");
        refused("../../etc/passwd");
        refused("..\\..\\etc\\passwd");
        refused("efi/../../secret/passwd");
        refused("efi\\..\\..\\secret\\passwd");
        refused("/etc/passwd");
        refused("//etc/passwd");
        refused("\\\\etc\\passwd");
        refused(outside.resolve("passwd").toString());
        refused("/../secret/passwd");
        refused("..");
    }

    @Test
    void symlinksAreFollowedOnlyInsideTheRoot() throws Exception {
        refused("escape");
        refused("escape-dir/passwd");
        assertEquals("efi", Files.readString(found("alias.efi")));
        assertEquals("efi", Files.readString(found("relative-alias.efi")));
    }

    @Test
    void missingFilesAndFoldersAreNotFound() {
        assertInstanceOf(BootFileResolver.NotFound.class, resolver.resolve("nope.efi"));
        assertInstanceOf(BootFileResolver.NotFound.class, resolver.resolve("efi/boot"));
        assertInstanceOf(BootFileResolver.NotFound.class, resolver.resolve("efi/missing/x"));
    }
}
