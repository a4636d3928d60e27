package org.netroot.server.tftp;

import org.netroot.server.testing.Processes;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;

/** Test helper: makes a symlink look planted by an ordinary user, the case the resolver must refuse. */
final class Planted {
    private Planted() { }

    static boolean runningAsRoot() {
        return Processes.isRoot();
    }

    /** As root: lchown the link to nobody. Otherwise the link already belongs to a non-root user. */
    static Path byUser(Path link) throws IOException {
        if (runningAsRoot()) {
            var nobody = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
            Files.getFileAttributeView(link, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setOwner(nobody);
        }
        return link;
    }
}
