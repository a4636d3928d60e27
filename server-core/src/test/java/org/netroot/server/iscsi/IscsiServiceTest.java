package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.Client;
import org.netroot.server.events.PeerDirectory;

/** The Netty portal: garbage and truncated PDUs are dropped and counted, the next session is served. */
class IscsiServiceTest {
    @TempDir
    Path dir;
    IscsiLab lab;
    Client pc;

    @BeforeEach
    void start() throws Exception {
        lab = new IscsiLab(dir);
        pc = lab.addClient("pc1", "52:54:00:00:00:01", 4 << 20);
    }

    @AfterEach
    void stop() {
        lab.close();
    }

    private Socket connect() throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), lab.service.port());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Reads until the server closes; true if it did. */
    private static boolean closedByServer(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        while (in.read(buf) >= 0) { }
        return true;
    }

    private long dropped() {
        return lab.errors.count("iSCSI");
    }

    private void awaitDropped(long n) throws InterruptedException {
        for (int i = 0; i < 200 && dropped() < n; i++) Thread.sleep(25);
        assertEquals(n, dropped());
    }

    private int login(Socket s, String initiator) throws Exception {
        return login(s, initiator, pc.targetIqn());
    }

    /** A login straight over a socket: the response's status (class and detail). */
    private int login(Socket s, String initiator, String targetIqn) throws Exception {
        Pdu pdu = ConnectionTest.login(1, 3, true, ConnectionTest.keys("InitiatorName", initiator,
                "TargetName", targetIqn, "MaxRecvDataSegmentLength", "8192"), 1, 1);
        OutputStream out = s.getOutputStream();
        out.write(pdu.bhs().bytes());
        byte[] data = pdu.dataBytes();
        out.write(data);
        out.write(new byte[PduFraming.padded(data.length) - data.length]);
        out.flush();
        byte[] header = new byte[48];
        new DataInputStream(s.getInputStream()).readFully(header);
        Bhs r = new Bhs(header);
        assertEquals(Bhs.LOGIN_RESPONSE, r.opcode());
        new DataInputStream(s.getInputStream()).readFully(new byte[PduFraming.padded(r.dataSegmentLength())]);
        return r.int16(36);
    }

    @Test
    void garbageIsDroppedCountedAndTheNextSessionWorks() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: netroot\r\nUser-Agent: curl\r\n\r\n".getBytes());
            assertTrue(closedByServer(s));
        }
        awaitDropped(1);

        try (Socket s = connect()) { // a login header cut off after 30 bytes
            byte[] header = ConnectionTest.login(0, 1, true, ConnectionTest.keys("InitiatorName", "x"), 1, 1).bhs().bytes();
            s.getOutputStream().write(header, 0, 30);
        }
        awaitDropped(2);

        try (Socket s = connect()) { // a whole header announcing 200 bytes of data, 10 arrive
            Pdu pdu = ConnectionTest.login(0, 1, true, ConnectionTest.keys("InitiatorName", "x"), 1, 1);
            pdu.bhs().dataSegmentLength(200);
            s.getOutputStream().write(pdu.bhs().bytes());
            s.getOutputStream().write(new byte[10]);
        }
        awaitDropped(3);

        try (Socket s = connect()) { // a SCSI command before any login
            s.getOutputStream().write(Bhs.of(Bhs.SCSI_COMMAND).bytes());
            assertTrue(closedByServer(s));
        }
        awaitDropped(4);

        try (Socket s = connect()) {
            assertEquals(0, login(s, pc.initiatorIqn()), "a proper login right after the junk");
        }
        if (IscsiLab.hasTool("iscsi-readcapacity16")) { // and a real initiator too
            IscsiLab.Run r = IscsiLab.run(30, "iscsi-readcapacity16", "-s", "-i", pc.initiatorIqn(), lab.url(pc));
            assertEquals(0, r.exit(), r.output());
            assertEquals(String.valueOf(4 << 20), r.output().trim());
        }
        assertEquals(4, dropped(), "good sessions are not counted");
    }

    @Test
    void sameInitiatorReconnectingReplacesItsSession() throws Exception {
        try (Socket first = connect(); Socket second = connect()) {
            assertEquals(0, login(first, pc.initiatorIqn()));
            assertEquals(0, login(second, pc.initiatorIqn()), "iPXE -> OS handover: the same initiator again");
            assertTrue(closedByServer(first), "the old connection is dropped");
            assertEquals(1, lab.service.activeSessions());
        }
    }

    @Test
    void oneWriterPerVolumeEvenAcrossTargets() throws Exception {
        Client twin = new Client("twin", "52:54:00:00:00:09", pc.volumeName(), null, null, null, null, null, null, null);
        lab.clients.add(twin);
        try (Socket first = connect(); Socket second = connect()) {
            assertEquals(0, login(first, pc.initiatorIqn()));
            assertEquals(LoginStatus.SERVICE_UNAVAILABLE, login(second, twin.initiatorIqn(), twin.targetIqn()),
                    "a second PC must not write the same volume");
            assertTrue(lab.awaitEvent(org.netroot.server.api.BootEventType.ERROR, "volume pc1-disk of client twin is in use"),
                    lab.events.toString());
        }
    }

    @Test
    void aBusyPortSaysWhatToDo() throws Exception {
        IscsiService second = new IscsiService(new IscsiSettings(null, lab.service.port()),
                new ClientTargetCatalog(lab.clients, lab.volumes), e -> { }, new PeerDirectory(), lab.errors);
        BindException e = assertThrows(BindException.class, second::start);
        assertTrue(e.getMessage().contains("--iscsi-port"), e.getMessage());
        assertFalse(second.isRunning());
        assertTrue(lab.service.isRunning());
        lab.service.stop();
        assertFalse(lab.service.isRunning());
        lab.service.stop(); // twice is fine
    }

    @Test
    void catalogMapsClientsToTargets() throws Exception {
        Client chap = lab.addClient("pc2", "52:54:00:00:00:02", 1 << 20, "u2", "s2", "t2", "ts2");
        ClientTargetCatalog catalog = new ClientTargetCatalog(lab.clients, lab.volumes);
        IscsiTarget t = catalog.find(chap.targetIqn()).orElseThrow();
        assertEquals("pc2", t.clientName());
        assertEquals("pc2-disk", t.volumeName());
        assertEquals(new IscsiTarget.Credentials("u2", "s2"), t.chap());
        assertEquals(new IscsiTarget.Credentials("t2", "ts2"), t.mutualChap());
        assertEquals("52:54:00:00:00:02", t.mac());
        assertTrue(catalog.find(pc.targetIqn().toUpperCase()).isPresent(), "IQNs compare case-insensitively");
        assertTrue(catalog.find("iqn.2026-01.org.netroot:nobody").isEmpty());
        assertEquals(List.of(pc.targetIqn()), catalog.visibleTo(pc.initiatorIqn()).stream().map(IscsiTarget::iqn).toList());
        assertEquals(null, catalog.find(pc.targetIqn()).orElseThrow().chap(), "no secret: AuthMethod None");
        try (var dev = catalog.open(t)) {
            assertEquals(1 << 20, dev.sizeBytes());
        }
    }
}
