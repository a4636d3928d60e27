package org.netroot.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-writer rule and the shared handle, over real files. */
class OpenVolumesTest {
    @TempDir Path dir;
    int opens;
    final List<RawFileBlockDevice> devices = new ArrayList<>();
    OpenVolumes volumes;

    /** A user like an iSCSI session: an initiator name and session ID, and whether someone evicted it. */
    static final class Session implements OpenVolumes.User {
        final String iqn;
        final long isid;
        boolean evicted;

        Session(String iqn) {
            this(iqn, 0);
        }

        Session(String iqn, long isid) {
            this.iqn = iqn;
            this.isid = isid;
        }

        @Override
        public String identity() {
            return iqn;
        }

        @Override
        public String nexus() {
            return iqn + ",i,0x" + Long.toHexString(isid);
        }

        @Override
        public String description() {
            return "client pc1 (" + iqn + ")";
        }

        @Override
        public void evict() {
            evicted = true;
        }
    }

    @BeforeEach
    void files() throws IOException {
        for (String name : new String[] {"a", "b"}) {
            try (RandomAccessFile raf = new RandomAccessFile(dir.resolve(name + ".img").toFile(), "rw")) {
                raf.setLength(1 << 20);
            }
        }
        volumes = new OpenVolumes(this::open);
    }

    BlockDevice open(String name) throws IOException {
        Path f = dir.resolve(name + ".img");
        if (!Files.exists(f)) throw new NoSuchFileException(f.toString());
        opens++;
        RawFileBlockDevice d = RawFileBlockDevice.open(f, false);
        devices.add(d);
        return d;
    }

    static boolean isClosed(RawFileBlockDevice d) {
        try {
            d.flush();
            return false;
        } catch (IOException e) {
            return true; // ClosedChannelException
        }
    }

    @Test
    void oneWriterPerVolumeTheSameInitiatorReplacesItselfAnotherIsRefused() throws Exception {
        Session ipxe = new Session("iqn.2026-01.org.netroot:initiator:pc1");
        OpenVolumes.Attachment first = volumes.attach("a", ipxe);
        assertEquals(OpenVolumes.Claim.GRANTED, first.claim());
        assertNull(first.holder());

        Session os = new Session("IQN.2026-01.org.netroot:initiator:PC1"); // IQNs compare case-insensitively
        OpenVolumes.Attachment second = volumes.attach("a", os);
        assertEquals(OpenVolumes.Claim.REPLACED, second.claim());
        assertTrue(ipxe.evicted, "the old session is dropped (iPXE -> booted OS)");
        assertSame(first.handle(), second.handle(), "one handle, the device opened once");
        assertEquals(1, opens);

        Session other = new Session("iqn.2026-01.org.netroot:initiator:pc2");
        OpenVolumes.Attachment refused = volumes.attach("a", other);
        assertEquals(OpenVolumes.Claim.BUSY, refused.claim());
        assertEquals(os.iqn, refused.holder());
        assertNull(refused.handle());
        assertFalse(os.evicted);

        assertEquals(OpenVolumes.Claim.GRANTED, volumes.attach("b", other).claim(), "other volumes are free");
        assertEquals(2, volumes.count());
    }

    /**
     * A shared volume (a cluster disk) takes every initiator at once, each session its own user of
     * the one handle; only the same nexus (name and ISID) logging in again replaces its old session.
     */
    @Test
    void aSharedVolumeTakesSeveralInitiatorsAndTheSameNexusReplacesItself() throws Exception {
        OpenVolumes shared = new OpenVolumes(this::open, this::open, name -> name.equals("a"));
        Session node1 = new Session("iqn.x:node1", 1);
        Session node2 = new Session("iqn.x:node2", 1);
        Session node2again = new Session("iqn.x:node2", 2); // a second session of node2: another nexus
        VolumeHandle h = shared.attach("a", node1).handle();
        assertEquals(OpenVolumes.Claim.GRANTED, shared.attach("a", node2).claim());
        OpenVolumes.Attachment third = shared.attach("a", node2again);
        assertEquals(OpenVolumes.Claim.GRANTED, third.claim());
        assertSame(h, third.handle(), "one handle, one device for all of them");
        assertEquals(1, opens);
        assertFalse(node1.evicted || node2.evicted);

        Session reinstated = new Session("IQN.X:NODE2", 1);
        OpenVolumes.Attachment again = shared.attach("a", reinstated);
        assertEquals(OpenVolumes.Claim.REPLACED, again.claim(), "RFC 7143 §6.3.5: same ISID, the old session goes");
        assertTrue(node2.evicted);
        assertFalse(node2again.evicted || node1.evicted);

        assertSame(h.shared(StringBuilder.class, StringBuilder::new), h.shared(StringBuilder.class, StringBuilder::new),
                "state its users share: made once per open volume");
        for (Session s : List.of(node1, node2, node2again, reinstated)) h.release(s);
        assertTrue(isClosed(devices.get(0)), "the last one out closed the device");
        VolumeHandle reopened = shared.attach("a", node1).handle();
        assertTrue(reopened.shared(StringBuilder.class, StringBuilder::new).isEmpty(), "shared state went with the handle");

        assertEquals(OpenVolumes.Claim.GRANTED, shared.attach("b", node1).claim());
        assertEquals(OpenVolumes.Claim.BUSY, shared.attach("b", node2).claim(), "b is not shared: one writer");
    }

    @Test
    void theLastUserOutClosesTheDeviceAndTheNextOneOpensItAgain() throws Exception {
        Session old = new Session("iqn.x:pc1");
        Session fresh = new Session("iqn.x:pc1");
        VolumeHandle h = volumes.attach("a", old).handle();
        volumes.attach("a", fresh);
        h.release(old); // the evicted session's connection closes later
        assertFalse(isClosed(devices.get(0)), "the new session still uses the device");
        assertEquals(1, volumes.count());
        h.release(fresh);
        h.release(fresh); // twice is harmless
        assertTrue(isClosed(devices.get(0)));
        assertTrue(volumes.find("a").isEmpty());
        assertEquals(0, volumes.count());

        Session other = new Session("iqn.x:pc2");
        assertEquals(OpenVolumes.Claim.GRANTED, volumes.attach("a", other).claim(), "free again");
        assertEquals(2, opens);
    }

    /**
     * Review finding 2: an evicted session may still have commands running until its connection
     * closes, so no other initiator gets the volume before then (RFC 7143 §6.3.5: the old
     * session's tasks end first). The same initiator may come back.
     */
    @Test
    void aSessionEvictedButNotYetClosedBlocksOthersUntilItIsGoneEvenOnceItsReplacementLeft() throws Exception {
        Session old = new Session("iqn.x:pc1");
        Session fresh = new Session("iqn.x:pc1");
        VolumeHandle h = volumes.attach("a", old).handle();
        volumes.attach("a", fresh);
        h.release(fresh);
        OpenVolumes.Attachment refused = volumes.attach("a", new Session("iqn.x:pc2"));
        assertEquals(OpenVolumes.Claim.BUSY, refused.claim());
        assertEquals("iqn.x:pc1", refused.holder());
        assertNull(refused.handle());

        Session again = new Session("iqn.x:pc1");
        assertEquals(OpenVolumes.Claim.GRANTED, volumes.attach("a", again).claim(), "its own initiator may come back");
        h.release(again);
        h.release(old);
        assertTrue(isClosed(devices.get(0)), "the last one out closed the device");
        assertEquals(OpenVolumes.Claim.GRANTED, volumes.attach("a", new Session("iqn.x:pc2")).claim(), "free now");
    }

    /** Review finding 1: a volume is only removed while no one has it open, so no handle outlives its file. */
    @Test
    void anOpenVolumeIsNotRemovedAndTheCheckHoldsTheLock() throws Exception {
        Session s = new Session("iqn.x:pc1");
        VolumeHandle h = volumes.attach("a", s).handle();
        List<String> removed = new ArrayList<>();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> volumes.whileClosed("a", u -> "volume a is in use by " + OpenVolumes.describe(u), () -> removed.add("a")));
        assertEquals("volume a is in use by client pc1 (iqn.x:pc1)", e.getMessage());
        assertTrue(removed.isEmpty());

        Session fresh = new Session("iqn.x:pc1");
        volumes.attach("a", fresh);
        h.release(fresh); // replaced, then the replacement left: the evicted session lingers
        e = assertThrows(IllegalArgumentException.class,
                () -> volumes.whileClosed("a", u -> "volume a is in use by " + OpenVolumes.describe(u), () -> removed.add("a")));
        assertEquals("volume a is in use by a session that is closing", e.getMessage());
        assertTrue(removed.isEmpty());

        h.release(s);
        volumes.whileClosed("a", u -> "unused", () -> removed.add("a"));
        assertEquals(List.of("a"), removed, "a volume no one has open is removed");
    }

    @Test
    void aVolumeThatCannotBeOpenedIsNotRegistered() {
        assertThrows(NoSuchFileException.class, () -> volumes.attach("missing", new Session("iqn.x:pc1")));
        assertTrue(volumes.find("missing").isEmpty());
        assertEquals(0, volumes.count());
    }

    @Test
    void growingAnOpenVolumeTellsItsListenersShrinkingItIsRefused() throws Exception {
        Session s = new Session("iqn.x:pc1");
        VolumeHandle h = volumes.attach("a", s).handle();
        List<Long> heard = new ArrayList<>();
        CapacityListener l = heard::add;
        h.addListener(l);
        volumes.resize("a", 2 << 20, false, () -> { });
        assertEquals(List.of(2L << 20), heard);
        assertEquals(2 << 20, h.device().sizeBytes(), "the open device has the new size");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> volumes.resize("a", 1 << 20, true, () -> { }));
        assertEquals("volume a is in use by client pc1 (iqn.x:pc1): shut it down first, then shrink it", e.getMessage());
        assertEquals(2 << 20, h.device().sizeBytes());

        h.removeListener(l);
        volumes.resize("a", 3 << 20, false, () -> { });
        assertEquals(1, heard.size(), "a removed listener hears nothing");
        h.release(s);
        volumes.resize("a", 1 << 20, true, () -> { }); // closed: shrinking is the caller's decision
        assertEquals(1 << 20, Files.size(dir.resolve("a.img")));
    }
}
