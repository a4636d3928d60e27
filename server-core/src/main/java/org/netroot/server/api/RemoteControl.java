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
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.Client;
import org.netroot.server.api.Lease;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.api.Volume;

/** {@link NetrootControl} over a running server's loopback control API. */
public final class RemoteControl implements NetrootControl {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** Ordinary requests answer in well under this; a server that does not is reported, not waited for. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);
    /** Synchronous import and export copy a whole image before they answer. */
    static final Duration COPY_TIMEOUT = Duration.ofMinutes(30);
    private final String base;
    private final String token;
    /** How long {@link #subscribe} waits for the stream's response head; the stream itself has no limit. */
    private volatile Duration streamHeadTimeout = Duration.ofSeconds(10);
    /** Open streams: {@link #close} ends them first, so their listeners hear onClosed, not an error. */
    private final java.util.Set<AutoCloseable> streams = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public RemoteControl(ControlEndpoint endpoint) {
        this.base = "http://127.0.0.1:" + endpoint.port();
        this.token = endpoint.token();
    }

    /**
     * The running server's API if one answers at the endpoint published in the data folder.
     *
     * @throws IllegalStateException when it answers with another API version than this program's
     */
    public static Optional<RemoteControl> connect(java.nio.file.Path dataDir) {
        Optional<ControlEndpoint> ep = ControlEndpoint.read(dataDir);
        if (ep.isEmpty()) return Optional.empty();
        RemoteControl rc = new RemoteControl(ep.get());
        int version;
        try {
            version = rc.serverApiVersion();
        } catch (RuntimeException e) {
            rc.close();
            return Optional.empty();
        }
        if (version != NetrootControl.API_VERSION) {
            rc.close();
            throw new IllegalStateException(versionMismatch(dataDir, version));
        }
        return Optional.of(rc);
    }

    static String versionMismatch(java.nio.file.Path dataDir, int serverVersion) {
        return "the Netroot server running for " + dataDir + " speaks control API version "
                + (serverVersion <= 0 ? "0 (a release before versions)" : serverVersion) + ", this program version "
                + NetrootControl.API_VERSION + ": use the netroot command and app of the same release as the server"
                + " (after an upgrade, restart the server)";
    }

    /** What {@code GET /api/version} says; 0 for a server too old to say. */
    public int serverApiVersion() {
        try {
            HttpResponse<String> resp = http.send(request("GET", "/api/version", null)
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() == 404) return 0;
            if (resp.statusCode() != 200) throw new IllegalStateException("control API answered " + resp.statusCode());
            return Json.MAPPER.readValue(resp.body(), ControlRequests.Version.class).apiVersion();
        } catch (IOException e) {
            throw new IllegalStateException("the Netroot server does not answer at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
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
    public Client updateClient(String name, Client client) {
        return call("PUT", "/api/clients/" + name, client, new TypeReference<>() { });
    }

    @Override
    public ClientSecrets clientSecrets(String name) {
        return call("GET", "/api/clients/" + name + "/secrets", null, new TypeReference<>() { });
    }

    @Override
    public List<BootEvent> clientEvents(String nameOrMac, long afterId, int limit) {
        return call("GET", "/api/clients/" + nameOrMac + "/events?after=" + afterId + "&limit=" + limit, null,
                new TypeReference<>() { });
    }

    @Override
    public Job startImport(String name, String imagePath) {
        return call("POST", "/api/jobs", new ControlRequests.StartJob(Job.Kind.IMPORT, name, imagePath),
                new TypeReference<>() { });
    }

    @Override
    public Job startExport(String name, String targetPath, String format) {
        return call("POST", "/api/jobs", new ControlRequests.StartJob(Job.Kind.EXPORT, name, targetPath, format, null),
                new TypeReference<>() { });
    }

    @Override
    public Job startPromote(String overlay, String newName) {
        return call("POST", "/api/jobs", new ControlRequests.StartJob(Job.Kind.PROMOTE, overlay, null, null, newName),
                new TypeReference<>() { });
    }

    @Override
    public Job job(long id) {
        return call("GET", "/api/jobs/" + id, null, new TypeReference<>() { });
    }

    @Override
    public List<Job> jobs() {
        return call("GET", "/api/jobs", null, new TypeReference<>() { });
    }

    @Override
    public Job cancelJob(long id) {
        return call("POST", "/api/jobs/" + id + "/cancel", null, new TypeReference<>() { });
    }

    @Override
    public List<DiscoveredMachine> discoveredMachines() {
        return call("GET", "/api/discovered", null, new TypeReference<>() { });
    }

    @Override
    public void forgetDiscovered(String mac) {
        call("DELETE", "/api/discovered/" + mac, null, new TypeReference<Map<String, Object>>() { });
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
    public Volume createVolume(String name, long sizeBytes, String format) {
        return call("POST", "/api/volumes", new ControlRequests.CreateVolume(name, sizeBytes, null, format),
                new TypeReference<>() { });
    }

    @Override
    public DiskSpace diskSpace() {
        return call("GET", "/api/disk-space", null, new TypeReference<>() { });
    }

    @Override
    public Volume makeGolden(String name) {
        return call("POST", "/api/volumes/" + name + "/golden", null, new TypeReference<>() { });
    }

    @Override
    public Volume shareVolume(String name, boolean shared) {
        return call("POST", "/api/volumes/" + name + "/sharing", new ControlRequests.ShareVolume(shared),
                new TypeReference<>() { });
    }

    @Override
    public Volume cloneVolume(String golden, String newName) {
        return call("POST", "/api/volumes/" + golden + "/clone", new ControlRequests.CloneVolume(newName),
                new TypeReference<>() { });
    }

    /** A name as one path segment: a snapshot qemu-img made may hold spaces, '?', '#' or '%'. */
    private static String segment(String name) {
        return java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public List<Snapshot> snapshots(String volume) {
        return call("GET", "/api/volumes/" + segment(volume) + "/snapshots", null, new TypeReference<>() { });
    }

    @Override
    public Volume createSnapshot(String volume, String snapshot) {
        return call("POST", "/api/volumes/" + segment(volume) + "/snapshots", new ControlRequests.TakeSnapshot(snapshot),
                new TypeReference<>() { });
    }

    @Override
    public Volume rollbackVolume(String volume, String snapshot) {
        return call("POST", "/api/volumes/" + segment(volume) + "/snapshots/" + segment(snapshot) + "/rollback", null,
                new TypeReference<>() { });
    }

    @Override
    public Volume removeSnapshot(String volume, String snapshot) {
        return call("DELETE", "/api/volumes/" + segment(volume) + "/snapshots/" + segment(snapshot), null, new TypeReference<>() { });
    }

    @Override
    public Volume resetVolume(String name) {
        return call("POST", "/api/volumes/" + name + "/reset", null, new TypeReference<>() { });
    }

    @Override
    public Volume importVolume(String name, String imagePath) {
        return call("POST", "/api/volumes", new ControlRequests.CreateVolume(name, null, imagePath, null), COPY_TIMEOUT,
                new TypeReference<>() { });
    }

    @Override
    public void exportVolume(String name, String targetPath) {
        call("POST", "/api/volumes/" + name + "/export", new ControlRequests.ExportVolume(targetPath), COPY_TIMEOUT,
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
    public List<Asset> assets() {
        return call("GET", "/api/assets", null, new TypeReference<>() { });
    }

    @Override
    public Job startAssetAdd(String file, String name, AssetKind kind) {
        return call("POST", "/api/assets", new ControlRequests.AddAsset(name, file, kind), new TypeReference<>() { });
    }

    @Override
    public void removeAsset(String name) {
        call("DELETE", "/api/assets/" + segment(name), null, new TypeReference<Map<String, Object>>() { });
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
        return BootEventFollower.follow(this, afterId, sink);
    }

    @Override
    public AutoCloseable followEvents(long afterId, Consumer<BootEvent> sink, Consumer<Throwable> onEnd) {
        return BootEventFollower.follow(this, afterId, sink, onEnd);
    }

    /**
     * Opens {@code GET /api/stream}; returns once the server has registered this subscriber, so
     * nothing published after this call returns is missed. Events arrive on one virtual thread.
     * The listener's {@code onClosed} runs when the stream ends or is closed, {@code onError} when
     * it breaks or carries something unreadable; reconnect with the last id seen.
     */
    @Override
    public AutoCloseable subscribe(long afterId, ChangeListener listener) {
        HttpRequest.Builder b = request("GET", "/api/stream", null).header("Accept", "text/event-stream")
                .timeout(streamHeadTimeout); // until the head: a body handed over as a stream is not timed
        if (afterId > 0) b.header("Last-Event-ID", Long.toString(afterId));
        HttpResponse<java.io.InputStream> resp;
        try {
            resp = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.net.http.HttpConnectTimeoutException e) {
            throw new IllegalStateException("the Netroot server stopped answering at " + base, e);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IllegalStateException("the Netroot server at " + base + " did not open the live stream within "
                    + streamHeadTimeout.toSeconds() + " s: is it overloaded or stuck? (`netroot status`)", e);
        } catch (IOException e) {
            throw new IllegalStateException("the Netroot server stopped answering at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        java.io.InputStream body = resp.body();
        if (resp.statusCode() != 200) {
            try (body) {
                String text = new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                throw new IllegalStateException("the live stream was refused (" + resp.statusCode() + "): " + text);
            } catch (IOException e) {
                throw new IllegalStateException("the live stream was refused (" + resp.statusCode() + ")", e);
            }
        }
        java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
        AutoCloseable stream = new AutoCloseable() {
            @Override
            public void close() throws IOException {
                streams.remove(this);
                if (closed.compareAndSet(false, true)) body.close();
            }
        };
        streams.add(stream);
        Thread.ofVirtual().name("netroot-stream").start(() -> {
            try {
                ServerSentEvents.read(body, listener, closed::get);
            } finally {
                streams.remove(stream);
            }
        });
        return stream;
    }

    @Override
    public ServerStatus startAllServices() {
        return call("POST", "/api/services/start", "", new TypeReference<>() { });
    }

    @Override
    public ServerStatus stopAllServices() {
        return call("POST", "/api/services/stop", "", new TypeReference<>() { });
    }

    @Override
    public ServerStatus status() {
        return call("GET", "/api/status", null, new TypeReference<>() { });
    }

    @Override
    public ServerStatus startService(String name) {
        return call("POST", "/api/services/" + name + "/start", "", new TypeReference<>() { });
    }

    @Override
    public ServerStatus stopService(String name) {
        return call("POST", "/api/services/" + name + "/stop", "", new TypeReference<>() { });
    }

    @Override
    public void close() {
        for (AutoCloseable s : streams) {
            try {
                s.close();
            } catch (Exception ignored) {
                // a stream that broke already told its listener
            }
        }
        http.shutdownNow();
    }

    // ---- first-run wizard: saved server settings, network probing, iPXE files ----

    @Override
    public ServerSettings settings() {
        return call("GET", "/api/settings", null, new TypeReference<>() { });
    }

    @Override
    public ServerSettings saveSettings(ServerSettings settings) {
        return call("PUT", "/api/settings", settings, new TypeReference<>() { });
    }

    @Override
    public List<NetworkInterfaceInfo> networkInterfaces(boolean includeLoopback) {
        return call("GET", "/api/network/interfaces?loopback=" + includeLoopback, null, new TypeReference<>() { });
    }

    @Override
    public DhcpProbeResult probeDhcp(String interfaceName, Duration wait) {
        long ms = wait == null ? 0 : wait.toMillis();
        return call("POST", "/api/network/probe", new ControlRequests.ProbeDhcp(interfaceName, ms),
                new TypeReference<>() { });
    }

    @Override
    public IpxeCheck ipxeCheck() {
        return call("GET", "/api/ipxe", null, new TypeReference<>() { });
    }

    /** For tests: how long {@link #subscribe} waits for the response head. */
    void streamHeadTimeout(Duration timeout) {
        streamHeadTimeout = timeout;
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
        return call(method, path, body, CALL_TIMEOUT, type);
    }

    private <T> T call(String method, String path, Object body, Duration timeout, TypeReference<T> type) {
        try {
            HttpResponse<String> resp = http.send(request(method, path, body).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() >= 400) {
                String msg = Json.MAPPER.readValue(resp.body(), ControlRequests.Error.class).error();
                if (resp.statusCode() < 500) throw new IllegalArgumentException(msg);
                throw new IllegalStateException(msg);
            }
            return Json.MAPPER.readValue(resp.body(), type);
        } catch (ConnectException e) {
            throw new IllegalStateException("the Netroot server stopped answering at " + base, e);
        } catch (java.net.http.HttpConnectTimeoutException e) {
            throw new IllegalStateException("the Netroot server stopped answering at " + base, e);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new IllegalStateException("the Netroot server at " + base + " did not answer " + method + " " + path
                    + " within " + timeout.toSeconds() + " s: is it overloaded or stuck? (`netroot status`)", e);
        } catch (IOException e) {
            throw new IllegalStateException("control API call " + method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    // ---- volume activity (Volumes view) ----

    @Override
    public List<VolumeActivity> volumeActivity() {
        return call("GET", "/api/volume-activity", null, new TypeReference<>() { });
    }

    // ---- clients: live activity ----

    @Override
    public List<ClientActivity> clientActivity() {
        return call("GET", "/api/clients/activity", null, new TypeReference<>() { });
    }
}
