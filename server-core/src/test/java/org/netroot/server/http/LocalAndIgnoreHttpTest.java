package org.netroot.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.boot.AssetCatalog;
import org.netroot.server.boot.BootPlanner;
import org.netroot.server.boot.InstallPhases;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;

/** The scripts of local and ignored clients over a real socket: exit to the next boot device, or nothing. */
class LocalAndIgnoreHttpTest {
    static final String LOCAL = "52:54:00:00:0b:01";
    static final String IGNORED = "52:54:00:00:0b:02";
    @TempDir Path tmp;
    HttpService http;
    final List<BootEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Map<String, Client> clients = Map.of(LOCAL, Client.sanboot("desk", LOCAL, "v1").withBoot(BootMode.LOCAL, null),
                IGNORED, Client.sanboot("printer", IGNORED, null).withBoot(BootMode.IGNORE, null));
        BootPlanner planner = new BootPlanner(mac -> Optional.ofNullable(clients.get(mac)), AssetCatalog.EMPTY,
                InstallPhases.NONE, 3260);
        http = new HttpService(new HttpSettings("127.0.0.1", 0, 3260, null, tmp), planner, events::add, new PeerDirectory(),
                new InputErrors());
        http.start();
    }

    @AfterEach
    void stop() {
        http.stop();
    }

    /** The raw bytes of the answer to one request, as iPXE reads them. */
    private String get(String path) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), http.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aLocalClientsScriptExitsToTheNextBootDevice() throws Exception {
        String r = get("/boot/" + LOCAL + ".ipxe");
        assertTrue(r.startsWith("HTTP/1.1 200 OK\r\n"), r);
        String body = r.substring(r.indexOf("\r\n\r\n") + 4);
        assertEquals("#!ipxe\n# Netroot: client desk (" + LOCAL + "), mode local\n"
                + "echo Netroot: booting from the local disk (next boot device)\nexit\n", body);
        for (int i = 0; i < 100 && events.isEmpty(); i++) Thread.sleep(20);
        assertEquals(BootEventType.SCRIPT_SERVED, events.getFirst().type());
        assertEquals("local: exit to the next boot device", events.getFirst().detail());
    }

    @Test
    void anIgnoredClientGetsNoScript() throws Exception {
        String r = get("/boot/" + IGNORED + ".ipxe");
        assertTrue(r.startsWith("HTTP/1.1 404 "), r);
        assertFalse(r.contains("#!ipxe"), r);
        get("/boot/" + IGNORED + ".ipxe");
        for (int i = 0; i < 100 && events.isEmpty(); i++) Thread.sleep(20);
        assertEquals(List.of(BootEventType.IGNORED), events.stream().map(BootEvent::type).toList(),
                "one entry a minute, and no failure");
    }
}
