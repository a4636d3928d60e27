package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.runtime.LocalControl;
import org.netroot.server.scsi.ScsiResult;
import org.netroot.server.scsi.Sense;
import org.netroot.server.service.InputErrors;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.testing.Processes;

/**
 * Volume resize seen from a logged-in initiator over TCP on loopback: the server's wiring (the
 * control API's volume store is the one the iSCSI service attaches through), a session that
 * stays open while {@link LocalControl#resizeVolume} grows its disk.
 */
class ResizeWhileLoggedInTest {
    static final long MIB = 1 << 20;

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
        control.createVolume("pc1-disk", 4 * MIB);
        pc = control.addClient(new Client("pc1", "52:54:00:00:00:01", "pc1-disk", BootMode.SANBOOT, null, null, null,
                null, null, null));
    }

    @AfterEach
    void stop() {
        service.stop();
        control.close();
        db.close();
    }

    /** A minimal initiator on a socket: login, then one command at a time. */
    final class Session implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        int cmdSN = 1;
        int itt = 0x10;
        byte[] data;

        Session() throws Exception {
            socket = new Socket(InetAddress.getLoopbackAddress(), service.port());
            socket.setSoTimeout(10_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            send(ConnectionTest.login(1, 3, true, ConnectionTest.keys("InitiatorName", pc.initiatorIqn(),
                    "TargetName", pc.targetIqn(), "MaxRecvDataSegmentLength", "65536"), 1, cmdSN));
            Bhs r = receive();
            assertEquals(Bhs.LOGIN_RESPONSE, r.opcode());
            assertEquals(0, r.int16(36), "login status");
        }

        void send(Pdu pdu) throws IOException {
            out.write(pdu.bhs().bytes());
            byte[] d = pdu.dataBytes();
            out.write(d);
            out.write(new byte[PduFraming.padded(d.length) - d.length]);
            out.flush();
        }

        Bhs receive() throws IOException {
            byte[] header = new byte[Bhs.LENGTH];
            in.readFully(header);
            Bhs h = new Bhs(header);
            data = new byte[PduFraming.padded(h.dataSegmentLength())];
            in.readFully(data);
            data = Arrays.copyOf(data, h.dataSegmentLength());
            return h;
        }

        /** Runs a non-data or read command; returns its status and sense (data lands in {@link #data}). */
        ScsiResult command(byte[] cdb, int readLength) throws IOException {
            Bhs h = Bhs.of(Bhs.SCSI_COMMAND).flags(0x80 | (readLength > 0 ? 0x40 : 0) | 0x01);
            h.itt(++itt).int32(20, readLength).int32(24, cmdSN++);
            System.arraycopy(cdb, 0, h.bytes(), 32, cdb.length);
            send(Pdu.of(h, new byte[0]));
            Bhs r = receive();
            if (r.opcode() == Bhs.DATA_IN) {
                assertTrue((r.flags() & 0x01) != 0, "one Data-In carries the status");
                return new ScsiResult(r.byte3(), null, data.length);
            }
            assertEquals(Bhs.SCSI_RESPONSE, r.opcode());
            byte[] sense = data.length >= 2 ? Arrays.copyOfRange(data, 2, data.length) : null;
            return new ScsiResult(r.byte3(), sense, 0);
        }

        long readCapacity16() throws IOException {
            byte[] cdb = new byte[16];
            cdb[0] = (byte) 0x9e;
            cdb[1] = 0x10;
            cdb[13] = 32;
            ScsiResult r = command(cdb, 32);
            assertTrue(r.isGood(), "READ CAPACITY 16: " + r);
            ByteBuffer b = ByteBuffer.wrap(data);
            return (b.getLong(0) + 1) * b.getInt(8);
        }

        long readCapacity10() throws IOException {
            ScsiResult r = command(new byte[] {0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 8);
            assertTrue(r.isGood(), "READ CAPACITY 10: " + r);
            ByteBuffer b = ByteBuffer.wrap(data);
            return ((b.getInt(0) & 0xffffffffL) + 1) * b.getInt(4);
        }

        ScsiResult testUnitReady() throws IOException {
            return command(new byte[6], 0);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void aLoggedInInitiatorGetsUnitAttentionOnceThenReadsTheNewCapacity() throws Exception {
        try (Session s = new Session()) {
            assertEquals(4 * MIB, s.readCapacity16());
            assertTrue(s.testUnitReady().isGood());

            assertEquals(64 * MIB, control.resizeVolume("pc1-disk", 64 * MIB, false).sizeBytes());

            ScsiResult ua = s.testUnitReady();
            assertEquals(ScsiResult.CHECK_CONDITION, ua.status());
            assertEquals(Sense.CAPACITY_DATA_HAS_CHANGED, Sense.parse(ua.sense()),
                    "UNIT ATTENTION, CAPACITY DATA HAS CHANGED");
            assertTrue(s.testUnitReady().isGood(), "once");
            assertEquals(64 * MIB, s.readCapacity16());
            assertEquals(64 * MIB, s.readCapacity10());
            assertEquals(64 * MIB, control.volumes().get(0).sizeBytes());
            assertEquals("qcow2", control.volumes().get(0).format(), "a new volume is qcow2: its resize grows online too");

            var inUse = assertThrows(IllegalArgumentException.class, () -> control.resizeVolume("pc1-disk", 4 * MIB, true));
            assertEquals("volume pc1-disk is in use by client pc1 (" + pc.initiatorIqn() + "): shut it down first,"
                    + " then shrink it", inUse.getMessage());
            assertEquals(64 * MIB, s.readCapacity16(), "a refused shrink changes nothing and raises no attention");
        }
        for (int i = 0; i < 200 && service.activeSessions() > 0; i++) Thread.sleep(25);
        assertEquals(0, service.activeSessions());
        for (int i = 0; i < 200 && control.volumeStore().openVolumes().find("pc1-disk").isPresent(); i++) Thread.sleep(25);

        var unconfirmed = assertThrows(IllegalArgumentException.class, () -> control.resizeVolume("pc1-disk", 8 * MIB, false));
        assertTrue(unconfirmed.getMessage().endsWith("pass --shrink to confirm"), unconfirmed.getMessage());
        assertEquals(8 * MIB, control.resizeVolume("pc1-disk", 8 * MIB, true).sizeBytes(), "no client attached: allowed");
        try (Session s = new Session()) {
            assertTrue(s.testUnitReady().isGood(), "a new session starts without an attention");
            assertEquals(8 * MIB, s.readCapacity16());
        }
    }

    /** A client that boots a golden image itself gets a write-protected disk (MODE SENSE's WP bit, SBC-4 §6.5.2). */
    @Test
    void aGoldenImageIsAWriteProtectedDisk() throws Exception {
        try (Session s = new Session()) {
            assertTrue(s.command(new byte[] {0x1a, 0, 0x3f, 0, (byte) 255, 0}, 255).isGood());
            assertEquals(0, s.data[2] & 0x80, "an ordinary volume is writable");
            var busy = assertThrows(IllegalArgumentException.class, () -> control.makeGolden("pc1-disk"));
            assertTrue(busy.getMessage().endsWith("shut it down first, then make it a golden image"), busy.getMessage());
        }
        for (int i = 0; i < 200 && control.volumeStore().openVolumes().find("pc1-disk").isPresent(); i++) Thread.sleep(25);
        assertTrue(control.makeGolden("pc1-disk").golden());
        try (Session s = new Session()) {
            assertTrue(s.command(new byte[] {0x1a, 0, 0x3f, 0, (byte) 255, 0}, 255).isGood());
            assertEquals(0x80, s.data[2] & 0x80, "WP: the golden image is served read-only");
        }
    }

    /**
     * Review finding 1 as reproduced: client remove, volume remove, volume create, client add while
     * pc1 was logged in; its next login got the old, deleted 4 MiB disk on the same handle.
     */
    @Test
    void aConnectedClientIsNotRemovedAndAVolumeCreatedAgainIsANewDisk() throws Exception {
        try (Session s = new Session()) {
            assertEquals(4 * MIB, s.readCapacity16());
            var refused = assertThrows(IllegalArgumentException.class, () -> control.removeClient("pc1"));
            assertEquals("client pc1 is connected (iSCSI session from 127.0.0.1): shut it down first",
                    refused.getMessage());
            assertEquals(1, control.clients().size(), "the client is kept");
            assertTrue(s.testUnitReady().isGood(), "and its session goes on");
        }
        for (int i = 0; i < 200 && control.volumeStore().openVolumes().find("pc1-disk").isPresent(); i++) Thread.sleep(25);

        control.removeClient("pc1");
        control.removeVolume("pc1-disk");
        control.createVolume("pc1-disk", 8 * MIB);
        pc = control.addClient(new Client("pc1", "52:54:00:00:00:01", "pc1-disk", BootMode.SANBOOT, null, null, null,
                null, null, null));
        try (Session s = new Session()) {
            assertEquals(8 * MIB, s.readCapacity16(), "the new disk");
        }
    }

    @Test
    void libiscsiReadsTheGrownCapacityWhileTheVolumeStaysOpen() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Processes.has("iscsi-readcapacity16"),
                "iscsi-readcapacity16 missing: apt-get install libiscsi-bin");
        String url = "iscsi://127.0.0.1:" + service.port() + "/" + pc.targetIqn() + "/0";
        Processes.Combined before = Processes.runCombined(30, "iscsi-readcapacity16", "-s", "-i", pc.initiatorIqn(), url);
        assertEquals(0, before.exit(), before.output());
        assertEquals(String.valueOf(4 * MIB), before.output().trim());
        try (Session s = new Session()) { // the volume is open (and its handle with it) while it grows
            control.resizeVolume("pc1-disk", 96 * MIB, false);
            // the same initiator logging in again replaces the Java session, as iPXE -> OS does
            Processes.Combined after = Processes.runCombined(30, "iscsi-readcapacity16", "-s", "-i", pc.initiatorIqn(), url);
            assertEquals(0, after.exit(), after.output());
            assertEquals(String.valueOf(96 * MIB), after.output().trim());
        }
    }

    /**
     * Issue 12: a qcow2 volume grown while a libiscsi session stays logged in (libiscsi itself, through
     * python3's ctypes): the session's next command gets UNIT ATTENTION "capacity data has changed", the
     * one after reads the new size.
     */
    @Test
    void aLibiscsiSessionSeesTheCapacityChangeThenTheNewSize() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Processes.has("python3"), "python3 missing: apt-get install python3");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libiscsi.so.7"))
                || java.nio.file.Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libiscsi.so.7")), "libiscsi7 missing: apt-get install libiscsi-bin");
        assertEquals("qcow2", control.volumes().stream().filter(v -> v.name().equals("pc1-disk")).findFirst().orElseThrow().format());
        Path script = dir.resolve("libiscsi_capacity.py");
        try (var in = getClass().getResourceAsStream("/iscsi/libiscsi_capacity.py")) {
            java.nio.file.Files.copy(in, script);
        }
        Process p = Processes.start(30, new ProcessBuilder("python3", script.toString(), String.valueOf(service.port()),
                pc.targetIqn(), pc.initiatorIqn()).redirectErrorStream(true));
        try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
             var in = p.getOutputStream()) {
            assertEquals("before: capacity " + 4 * MIB, out.readLine());
            control.resizeVolume("pc1-disk", 96 * MIB, false); // the session stays logged in meanwhile
            in.write('\n');
            in.flush();
            assertEquals("after: CHECK CONDITION: SENSE KEY:UNIT_ATTENTION(6) ASCQ:CAPACITY_DATA_HAS_CHANGED(0x2a09)",
                    out.readLine());
            assertEquals("again: capacity " + 96 * MIB, out.readLine());
        } finally {
            if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
        }
        assertEquals(0, p.exitValue());
    }
}
