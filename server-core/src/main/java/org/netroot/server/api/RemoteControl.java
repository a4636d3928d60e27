package org.netroot.server.api;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.Client;
import org.netroot.server.api.Lease;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.api.Volume;

/** {@link NetrootControl} over a running server's loopback control API. */
public final class RemoteControl implements NetrootControl {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String token;

    public RemoteControl(ControlEndpoint endpoint) {
        this.base = "http://127.0.0.1:" + endpoint.port();
        this.token = endpoint.token();
    }

    /** The running server's API if one answers at the endpoint published in the data folder. */
    public static Optional<RemoteControl> connect(java.nio.file.Path dataDir) {
        Optional<ControlEndpoint> ep = ControlEndpoint.read(dataDir);
        if (ep.isEmpty()) return Optional.empty();
        RemoteControl rc = new RemoteControl(ep.get());
        try {
            rc.status();
            return Optional.of(rc);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public List<Client> clients() {
        return call("GET", "/api/clients", null, new TypeReference<>() { });
    }

    @Override
    public Client addClient(Client client) {
        return call("POST", "/api/clients", client, new TypeReference<>() { });
    }

    @Override
    public void removeClient(String name) {
        call("DELETE", "/api/clients/" + name, null, new TypeReference<Map<String, Object>>() { });
    }

    @Override
    public List<Volume> volumes() {
        return call("GET", "/api/volumes", null, new TypeReference<>() { });
    }

    @Override
    public Volume createVolume(String name, long sizeBytes) {
        return call("POST", "/api/volumes", new ControlRequests.CreateVolume(name, sizeBytes, null), new TypeReference<>() { });
    }

    @Override
    public Volume importVolume(String name, String imagePath) {
        return call("POST", "/api/volumes", new ControlRequests.CreateVolume(name, null, imagePath), new TypeReference<>() { });
    }

    @Override
    public void exportVolume(String name, String targetPath) {
        call("POST", "/api/volumes/" + name + "/export", new ControlRequests.ExportVolume(targetPath),
                new TypeReference<Map<String, Object>>() { });
    }

    @Override
    public Volume resizeVolume(String name, long newSizeBytes, boolean allowShrink) {
        return call("POST", "/api/volumes/" + name + "/resize", new ControlRequests.ResizeVolume(newSizeBytes, allowShrink),
                new TypeReference<>() { });
    }

    @Override
    public void removeVolume(String name) {
        call("DELETE", "/api/volumes/" + name, null, new TypeReference<Map<String, Object>>() { });
    }

    @Override
    public List<Lease> leases() {
        return call("GET", "/api/leases", null, new TypeReference<>() { });
    }

    @Override
    public List<BootEvent> events(long afterId, int limit) {
        return call("GET", "/api/events?after=" + afterId + "&limit=" + limit, null, new TypeReference<>() { });
    }

    @Override
    public AutoCloseable followEvents(long afterId, Consumer<BootEvent> sink) {
        HttpRequest req = request("GET", "/api/events/stream?after=" + afterId, null).build();
        Thread t = Thread.ofVirtual().name("follow-events").start(() -> {
            try {
                HttpResponse<Stream<String>> resp = http.send(req, HttpResponse.BodyHandlers.ofLines());
                resp.body().filter(l -> l.startsWith("data: ")).forEach(l -> {
                    try {
                        sink.accept(Json.MAPPER.readValue(l.substring(6), BootEvent.class));
                    } catch (IOException e) {
                        throw new IllegalStateException("bad event from server: " + l, e);
                    }
                });
            } catch (IOException | InterruptedException e) {
                // stream ended: the server stopped or we were closed
            }
        });
        return t::interrupt;
    }

    @Override
    public ServerStatus status() {
        return call("GET", "/api/status", null, new TypeReference<>() { });
    }

    public ServerStatus startService(String name) {
        return call("POST", "/api/services/" + name + "/start", "", new TypeReference<>() { });
    }

    public ServerStatus stopService(String name) {
        return call("POST", "/api/services/" + name + "/stop", "", new TypeReference<>() { });
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    private HttpRequest.Builder request(String method, String path, Object body) {
        HttpRequest.BodyPublisher pub;
        try {
            pub = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(Json.MAPPER.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
        return HttpRequest.newBuilder(URI.create(base + path)).method(method, pub)
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json");
    }

    private <T> T call(String method, String path, Object body, TypeReference<T> type) {
        try {
            HttpResponse<String> resp = http.send(request(method, path, body).timeout(Duration.ofMinutes(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() >= 400) {
                String msg = Json.MAPPER.readValue(resp.body(), ControlRequests.Error.class).error();
                if (resp.statusCode() < 500) throw new IllegalArgumentException(msg);
                throw new IllegalStateException(msg);
            }
            return Json.MAPPER.readValue(resp.body(), type);
        } catch (ConnectException e) {
            throw new IllegalStateException("the Netroot server stopped answering at " + base, e);
        } catch (IOException e) {
            throw new IllegalStateException("control API call " + method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
