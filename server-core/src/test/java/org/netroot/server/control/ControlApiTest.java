package org.netroot.server.control;

import org.netroot.server.api.RemoteControl;
import org.netroot.server.api.ControlEndpoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.http.HttpService;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.testing.TestConfigs;

/** A real server on loopback driven through its control API, the way the CLI and the app use it. */
class ControlApiTest {
    @TempDir Path tmp;

    @Test
    void manageClientsAndVolumesAndFollowEventsThroughTheApi() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp));
             RemoteControl api = RemoteControl.connect(data).orElseThrow()) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(ControlEndpoint.file(data))));
            assertTrue(api.status().running());
            api.createVolume("v1", 8 << 20);
            api.addClient(Client.sanboot("c1", "52-54-00-AA-BB-01", "v1"));
            assertEquals(List.of("c1"), api.clients().stream().map(Client::name).toList());
            assertEquals("52:54:00:aa:bb:01", api.clients().get(0).mac());

            var e = assertThrows(IllegalArgumentException.class,
                    () -> api.addClient(Client.sanboot("c2", "52:54:00:aa:bb:02", "v1")));
            assertTrue(e.getMessage().contains("already the disk of client c1"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> api.removeVolume("v1"));

            List<BootEvent> seen = new CopyOnWriteArrayList<>();
            try (AutoCloseable ignored = api.followEvents(0, seen::add)) {
                int port = server.service(HttpService.class).port();
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/boot/52:54:00:aa:bb:01.ipxe")).build(),
                        HttpResponse.BodyHandlers.ofString());
                long deadline = System.currentTimeMillis() + 10_000;
                while (seen.stream().noneMatch(ev -> ev.type() == BootEventType.SCRIPT_SERVED)
                        && System.currentTimeMillis() < deadline) {
                    Thread.sleep(20);
                }
            }
            BootEvent served = seen.stream().filter(ev -> ev.type() == BootEventType.SCRIPT_SERVED).findFirst().orElseThrow();
            assertEquals("c1", served.clientName());
            assertEquals(served.id(), api.events(0, 100).get(0).id());
        }
        assertFalse(Files.exists(ControlEndpoint.file(data)), "the endpoint file goes away with the server");
    }

    @Test
    void resizeAVolumeThroughTheApi() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp));
             RemoteControl api = RemoteControl.connect(data).orElseThrow()) {
            api.createVolume("v1", 8 << 20);
            var grown = api.resizeVolume("v1", 32 << 20, false);
            assertEquals(32 << 20, grown.sizeBytes());
            assertEquals("qcow2", grown.format(), "new volumes are qcow2 unless asked otherwise");
            assertTrue(grown.allocatedBytes() >= 0 && grown.allocatedBytes() < (1 << 20), "sparse: " + grown.allocatedBytes());
            assertEquals(32 << 20, api.volumes().get(0).sizeBytes());

            var refused = assertThrows(IllegalArgumentException.class, () -> api.resizeVolume("v1", 16 << 20, false));
            assertTrue(refused.getMessage().endsWith("pass --shrink to confirm"), refused.getMessage());
            assertEquals(16 << 20, api.resizeVolume("v1", 16 << 20, true).sizeBytes());

            api.addClient(Client.sanboot("c1", "52:54:00:aa:bb:01", "v1"));
            if (org.netroot.server.testing.Processes.has("iscsi-readcapacity16")) {
                // the server's iSCSI target serves the size the API set
                Client c1 = api.clients().get(0);
                int port = server.service(org.netroot.server.iscsi.IscsiService.class).port();
                var r = org.netroot.server.testing.Processes.runCombined(30, "iscsi-readcapacity16", "-s", "-i",
                        c1.initiatorIqn(), "iscsi://127.0.0.1:" + port + "/" + c1.targetIqn() + "/0");
                assertEquals(0, r.exit(), r.output());
                assertEquals(String.valueOf(16 << 20), r.output().trim());
            }

            ControlEndpoint ep = ControlEndpoint.read(data).orElseThrow();
            var noSize = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + ep.port() + "/api/volumes/v1/resize"))
                    .header("Authorization", "Bearer " + ep.token())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"allowShrink\":true}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, noSize.statusCode(), noSize.body());
            assertTrue(noSize.body().contains("give the new sizeBytes"), noSize.body());
        }
    }

    @Test
    void requestsWithoutTheTokenAreRefused() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, tmp))) {
            ControlEndpoint ep = ControlEndpoint.read(data).orElseThrow();
            var resp = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + ep.port() + "/api/clients")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, resp.statusCode());
            var wrong = new RemoteControl(new ControlEndpoint(ep.port(), "0".repeat(64)));
            assertThrows(IllegalArgumentException.class, wrong::clients);
        }
    }

    @Test
    void brokenRequestsGetAnAnswerNotAHang() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, tmp))) {
            ControlEndpoint ep = ControlEndpoint.read(data).orElseThrow();
            HttpClient http = HttpClient.newHttpClient();
            for (String[] call : new String[][] {{"/api/volumes/x/export", "{\"file\":null}"}, {"/api/clients", "null"},
                    {"/api/volumes", "{not json"}, {"/api/clients", ""}}) {
                var resp = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ep.port() + call[0]))
                        .timeout(java.time.Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + ep.token())
                        .POST(HttpRequest.BodyPublishers.ofString(call[1])).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(400, resp.statusCode(), call[0] + " " + call[1] + " -> " + resp.body());
                assertTrue(resp.body().contains("\"error\""), resp.body());
            }
        }
    }

    @Test
    void followersGetTheBacklogThenLiveEventsWithoutGapsOrRepeats() throws Exception {
        Path data = tmp.resolve("data");
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp));
             RemoteControl api = RemoteControl.connect(data).orElseThrow()) {
            for (int i = 0; i < 1500; i++) {
                server.events().record(BootEvent.of(null, BootEventType.ERROR, "backlog " + i));
            }
            List<BootEvent> seen = new CopyOnWriteArrayList<>();
            try (AutoCloseable ignored = api.followEvents(0, seen::add)) {
                for (int i = 0; i < 300; i++) server.events().record(BootEvent.of(null, BootEventType.ERROR, "live " + i));
                long deadline = System.currentTimeMillis() + 20_000;
                while (seen.size() < 1800 && System.currentTimeMillis() < deadline) Thread.sleep(20);
            }
            List<Long> ids = seen.stream().map(BootEvent::id).toList();
            assertEquals(1800, ids.size());
            for (int i = 1; i < ids.size(); i++) assertEquals(ids.get(i - 1) + 1, ids.get(i), "gap or repeat at " + i);
        }
    }

    @Test
    void restartKeepsClientsVolumesAndEvents() throws Exception {
        Path data = tmp.resolve("data");
        long eventId;
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data, tmp));
             RemoteControl api = RemoteControl.connect(data).orElseThrow()) {
            api.createVolume("v1", 4 << 20);
            api.addClient(Client.sanboot("c1", "52:54:00:aa:bb:01", "v1"));
            int port = server.service(HttpService.class).port();
            HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/boot/52:54:00:aa:bb:01.ipxe")).build(),
                    HttpResponse.BodyHandlers.discarding());
            long deadline = System.currentTimeMillis() + 10_000;
            while (api.events(0, 10).isEmpty() && System.currentTimeMillis() < deadline) Thread.sleep(20);
            eventId = api.events(0, 10).get(0).id();
        }
        try (NetrootServer ignored = NetrootServer.start(TestConfigs.loopback(data, tmp));
             RemoteControl api = RemoteControl.connect(data).orElseThrow()) {
            assertEquals("c1", api.clients().get(0).name());
            assertEquals(4 << 20, api.volumes().get(0).sizeBytes());
            assertEquals(eventId, api.events(0, 10).get(0).id());
            assertEquals(BootEventType.SCRIPT_SERVED, api.events(0, 10).get(0).type());
        }
    }
}
