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
        Planted.byUser(Files.createSymbolicLink(bootFiles.resolve("escape"), outside.resolve("passwd")));
        Planted.byUser(Files.createSymbolicLink(bootFiles.resolve("escape-dir"), outside));
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
    void aLinkOutInAFolderOthersCanWriteIsRefusedWhoeverOwnsIt() throws Exception {
        Path shared = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(shared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        Files.createSymbolicLink(shared.resolve("escape"), outside.resolve("passwd"));
        assertInstanceOf(BootFileResolver.AccessViolation.class, new BootFileResolver(List.of(shared)).resolve("escape"));
    }

    @Test
    void aLinkOutThatOnlyRootCouldPlaceIsFollowedLikeDebiansIpxeEfi() throws Exception {
        // /usr/lib/ipxe/ipxe.efi -> /boot/ipxe.efi in Debian's ipxe package
        org.junit.jupiter.api.Assumptions.assumeTrue(Planted.runningAsRoot(), "only root can make a root-owned link");
        Path system = Files.createDirectories(dir.resolve("system"));
        Files.setPosixFilePermissions(system, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path target = Files.writeString(outside.resolve("ipxe.efi"), "efi binary");
        Files.setPosixFilePermissions(target, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(system.resolve("ipxe.efi"), target);
        var found = assertInstanceOf(BootFileResolver.Found.class, new BootFileResolver(List.of(system)).resolve("ipxe.efi"));
        assertEquals("efi binary", Files.readString(found.file()));
    }

    @Test
    void debiansIpxeFolderServesItsLinkedIpxeEfi() {
        Path ipxeEfi = Path.of("/usr/lib/ipxe/ipxe.efi");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isSymbolicLink(ipxeEfi) && Files.isReadable(ipxeEfi),
                "needs Debian's ipxe package (/usr/lib/ipxe/ipxe.efi -> /boot/ipxe.efi)");
        assertInstanceOf(BootFileResolver.Found.class, new BootFileResolver(List.of(Path.of("/usr/lib/ipxe"))).resolve("ipxe.efi"));
    }

    @Test
    void missingFilesAndFoldersAreNotFound() {
        assertInstanceOf(BootFileResolver.NotFound.class, resolver.resolve("nope.efi"));
        assertInstanceOf(BootFileResolver.NotFound.class, resolver.resolve("efi/boot"));
        assertInstanceOf(BootFileResolver.NotFound.class, resolver.resolve("efi/missing/x"));
    }
}
