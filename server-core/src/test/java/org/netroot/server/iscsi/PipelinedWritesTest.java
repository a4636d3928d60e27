package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.Client;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.runtime.LocalControl;
import org.netroot.server.service.InputErrors;
import org.netroot.server.store.Database;
import org.netroot.server.testing.RawInitiator;

/**
 * The write path bench/volumes.sh measures (org.netroot.server.bench.IscsiRandomWrites): 4 KiB
 * WRITE(10)s with immediate data, several in flight on one session, to a fresh qcow2 overlay of a
 * golden image; each lands where it was sent, as a read of the same blocks shows.
 */
class PipelinedWritesTest {
    static final long MIB = 1 << 20;
    static final long VOLUME_BYTES = 16 * MIB;

    @TempDir Path dir;
    Database db;
    LocalControl control;
    IscsiService service;
    Client pc;

    @BeforeEach
    void start() throws Exception {
        db = Database.open(dir);
        control = new LocalControl(db, false, dir, ServerStatus::offline);
        service = new IscsiService(new IscsiSettings((java.net.InetAddress) null, 0),
                new ClientTargetCatalog(db.clientDirectory(), control.volumeStore()), e -> { }, new PeerDirectory(),
                new InputErrors());
        service.start();
        control.createVolume("golden", VOLUME_BYTES, "raw");
        control.makeGolden("golden");
        control.cloneVolume("golden", "pc1-disk");
        pc = control.addClient(Client.sanboot("pc1", "52:54:00:00:00:01", "pc1-disk"));
    }

    @AfterEach
    void stop() {
        service.stop();
        control.close();
        db.close();
    }

    @Test
    void eightWritesInFlightEachLandWhereSent() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Map<Long, byte[]> written = new LinkedHashMap<>();
        while (written.size() < 64) { // distinct 4 KiB blocks, so the last write to each is the only one
            byte[] data = new byte[4096];
            random.nextBytes(data);
            written.put((long) random.nextInt((int) (VOLUME_BYTES / 4096)) * 8, data);
        }
        List<Long> lbas = new ArrayList<>(written.keySet());
        try (RawInitiator session = RawInitiator.login(service.port(), pc.initiatorIqn(), pc.targetIqn())) {
            Set<Integer> sent = new HashSet<>();
            Set<Integer> answered = new HashSet<>();
            int next = 0;
            while (next < 8) sent.add(session.sendWrite(lbas.get(next), written.get(lbas.get(next++))));
            while (answered.size() < lbas.size()) {
                answered.add(session.awaitWrite());
                if (next < lbas.size()) sent.add(session.sendWrite(lbas.get(next), written.get(lbas.get(next++))));
            }
            assertEquals(sent, answered, "every write answered once, by its task tag (seed " + seed + ")");
            for (long lba : lbas) {
                assertArrayEquals(written.get(lba), session.read(lba, 8), "blocks at LBA " + lba + " (seed " + seed + ")");
            }
            // a write past the end is refused with CHECK CONDITION, which the bench must not count
            session.sendWrite(VOLUME_BYTES / 512, written.get(lbas.get(0)));
            assertThrows(IOException.class, session::awaitWrite);
        }
    }
}
