package org.netroot.server.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.ControlEndpoint;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.PrivateFiles;
import org.netroot.server.api.ServerStartup;
import org.netroot.server.testing.AsNobody;
import org.netroot.server.testing.Processes;
import org.netroot.server.testing.TestConfigs;

/**
 * A server with a control group (the system service: {@code serve --control-group netroot}) lets that
 * group's members use its control API, and tells everyone else, in words, how to get the right.
 */
class ControlGroupTest {
    @TempDir Path tmp;

    @Test
    void aSharedStateFileIsReadableByTheGroupAndNoOneElse() throws IOException {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        String myGroup = Files.readAttributes(file, PosixFileAttributes.class).group().getName();
        Path shared = tmp.resolve("control.json");
        PrivateFiles.writeAtomically(shared, "{}", myGroup);
        PosixFileAttributes a = Files.readAttributes(shared, PosixFileAttributes.class);
        assertEquals("rw-r-----", PosixFilePermissions.toString(a.permissions()));
        assertEquals(myGroup, a.group().getName());
        PrivateFiles.writeAtomically(shared, "{}");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(shared)), "no group: private");
    }

    @Test
    void anUnknownGroupIsNamedWithTheFix() {
        IOException e = assertThrows(IOException.class,
                () -> PrivateFiles.writeAtomically(tmp.resolve("control.json"), "{}", "no-such-group-netroot"));
        assertTrue(e.getMessage().contains("there is no group no-such-group-netroot"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("control.json")), "nothing published half-shared");
    }

    /**
     * Root's server for a 0750 folder of group users (the service's shape: netroot:netroot 0750, group
     * netroot): user nobody in group users gets the server's status; nobody without the group is told
     * to join it; once the server stopped, the member is told to start it, not given a database error.
     */
    @Test
    void aMemberOfTheGroupUsesTheServerAndOthersAreToldHow() throws Exception {
        assumeTrue(AsNobody.possible(), "needs root and setpriv (Debian package util-linux) to run as user nobody");
        String group = "users"; // gid 100 on Debian; nobody is not in it
        assumeTrue(Processes.run(10, "getent", "group", group).exitCode() == 0, "needs a group " + group);
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path data = Files.createDirectory(work.resolve("data"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-x---")));
        Files.getFileAttributeView(data, PosixFileAttributeView.class).setGroup(
                data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group));
        List<String> member = asNobody(work, data, "--groups=100");
        List<String> stranger = asNobody(work, data, "--clear-groups");
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp.resolve("no-ipxe")), group)) {
            for (Path f : List.of(ControlEndpoint.file(data), data.resolve(ServerStartup.LOCK_FILE))) {
                PosixFileAttributes a = Files.readAttributes(f, PosixFileAttributes.class);
                assertEquals(group, a.group().getName(), f.toString());
                assertEquals("rw-r-----", PosixFilePermissions.toString(a.permissions()), f.toString());
            }
            Processes.Result asMember = Processes.run(120, member);
            assertEquals(0, asMember.exitCode(), asMember.all());
            assertTrue(asMember.stdout().contains("HTTP") && !asMember.stdout().contains("no Netroot server"), asMember.all());

            Processes.Result asStranger = Processes.run(120, stranger);
            assertEquals(1, asStranger.exitCode(), asStranger.all());
            assertTrue(asStranger.stderr().contains("you (nobody) may not open the data folder " + data
                    + "; members of group users may: join it (`sudo adduser nobody users`), then log out and in again"),
                    asStranger.all());
        }
        Processes.Result stopped = Processes.run(120, member);
        assertEquals(1, stopped.exitCode(), stopped.all());
        assertTrue(stopped.stderr().contains("no Netroot server runs for " + data + ", and only its owner root may open it"
                + " without one: start its server"), stopped.all());
    }

    /** Root's command, with the service stopped, leaves the service's folder alone: what it made there would be root's. */
    @Test
    void rootDoesNotOpenAnotherUsersFolderItself() throws Exception {
        assumeTrue(Processes.isRoot(), "needs root to give a folder to user nobody");
        Path data = Files.createDirectory(tmp.resolve("nobodys"));
        Files.getFileAttributeView(data, PosixFileAttributeView.class).setOwner(
                data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Netroot.attach(data).close());
        assertTrue(e.getMessage().contains("no Netroot server runs for " + data + ", and only its owner nobody may open it"
                + " without one: start its server (`netroot serve --data " + data + "` as nobody)"), e.getMessage());
        try (var files = Files.list(data)) {
            assertEquals(List.of(), files.toList(), "nothing made in nobody's folder");
        }
    }

    private static List<String> asNobody(Path work, Path data, String groups) throws IOException {
        List<String> cmd = new ArrayList<>(AsNobody.command(work.resolve("cp" + groups.length()),
                "org.netroot.server.cli.NetrootCli", "status", "--data", data.toString()));
        cmd.set(cmd.indexOf("--clear-groups"), groups);
        return cmd;
    }
}
