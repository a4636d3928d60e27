package org.netroot.server.control;

import org.netroot.server.api.ControlRequests;
import org.netroot.server.api.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.UncheckedIOException;
import java.util.Map;
import org.netroot.server.api.Client;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.store.StoreException;

/** The control API's resources, decided without Netty: method + path + body -> status + JSON. */
public final class ControlRoutes {
    public record Reply(int status, String json) {
    }

    private final NetrootControl control;

    public ControlRoutes(NetrootControl control) {
        this.control = control;
    }

    public Reply handle(String method, String path, Map<String, String> query, String body) {
        try {
            if (body == null || body.isBlank()) body = "{}";
            String[] p = path.replaceAll("^/+|/+$", "").split("/");
            if (p.length < 2 || !p[0].equals("api")) return error(404, "no such resource: " + path);
            // the route: fixed words kept, names replaced by * ("POST volumes/*/snapshots/*/rollback")
            String route = method + " " + p[1] + (p.length > 2 ? "/*" : "") + (p.length > 3 ? "/" + p[3] : "")
                    + (p.length > 4 ? "/*" : "") + (p.length > 5 ? "/" + p[5] : "");
            if (p.length > 6) return error(404, "no such resource: " + path);
            return switch (route) {
                case "GET version" -> ok(Map.of("apiVersion", NetrootControl.API_VERSION));
                case "GET status" -> ok(control.status());
                case "GET clients" -> ok(control.clients());
                case "POST clients" -> {
                    Client c = Json.MAPPER.readValue(body, Client.class);
                    if (c == null || c.name() == null) throw new IllegalArgumentException("give the client a name and a MAC");
                    yield created(control.addClient(c));
                }
                case "PUT clients/*" -> {
                    Client c = Json.MAPPER.readValue(body, Client.class);
                    if (c == null) throw new IllegalArgumentException("give the client's new settings");
                    yield ok(control.updateClient(p[2], c));
                }
                case "GET clients/*/secrets" -> ok(control.clientSecrets(p[2]));
                case "GET clients/*/events" -> ok(control.clientEvents(p[2], longParam(query, "after", 0),
                        (int) longParam(query, "limit", 1000)));
                case "GET discovered" -> ok(control.discoveredMachines());
                case "DELETE discovered/*" -> {
                    control.forgetDiscovered(p[2]);
                    yield ok(Map.of("forgotten", p[2]));
                }
                case "GET jobs" -> ok(control.jobs());
                case "GET jobs/*" -> ok(control.job(longParam(Map.of("id", p[2]), "id", 0)));
                case "POST jobs/*/cancel" -> ok(control.cancelJob(longParam(Map.of("id", p[2]), "id", 0)));
                case "POST jobs" -> {
                    var req = Json.MAPPER.readValue(body, ControlRequests.StartJob.class);
                    if (req != null && req.kind() == org.netroot.server.api.Job.Kind.PROMOTE) {
                        if (req.volume() == null || req.newName() == null) {
                            throw new IllegalArgumentException("give the overlay (volume) and the new golden image's name (newName)");
                        }
                        yield created(control.startPromote(req.volume(), req.newName()));
                    }
                    if (req == null || req.kind() == null || req.volume() == null || req.file() == null) {
                        throw new IllegalArgumentException("give kind (IMPORT, EXPORT or PROMOTE), volume and file");
                    }
                    yield created(req.kind() == org.netroot.server.api.Job.Kind.IMPORT
                            ? control.startImport(req.volume(), req.file())
                            : control.startExport(req.volume(), req.file(), req.format()));
                }
                case "DELETE clients/*" -> {
                    control.removeClient(p[2]);
                    yield ok(Map.of("removed", p[2]));
                }
                case "GET volumes" -> ok(control.volumes());
                case "POST volumes" -> {
                    var req = Json.MAPPER.readValue(body, ControlRequests.CreateVolume.class);
                    if (req == null || req.name() == null) throw new IllegalArgumentException("give the volume a name");
                    if (req.fromFile() != null) yield created(control.importVolume(req.name(), req.fromFile()));
                    if (req.sizeBytes() == null) throw new IllegalArgumentException("give sizeBytes or fromFile");
                    yield created(control.createVolume(req.name(), req.sizeBytes(), req.format()));
                }
                case "GET disk-space" -> ok(control.diskSpace());
                case "POST volumes/*/golden" -> ok(control.makeGolden(p[2]));
                case "POST volumes/*/reset" -> ok(control.resetVolume(p[2]));
                case "POST volumes/*/sharing" -> {
                    var req = Json.MAPPER.readValue(body, ControlRequests.ShareVolume.class);
                    if (req == null) throw new IllegalArgumentException("say whether the volume is shared");
                    yield ok(control.shareVolume(p[2], req.shared()));
                }
                case "GET volumes/*/snapshots" -> ok(control.snapshots(p[2]));
                case "POST volumes/*/snapshots" -> {
                    var req = Json.MAPPER.readValue(body, ControlRequests.TakeSnapshot.class);
                    if (req == null || req.name() == null) throw new IllegalArgumentException("give the snapshot a name");
                    yield created(control.createSnapshot(p[2], req.name()));
                }
                case "POST volumes/*/snapshots/*/rollback" -> ok(control.rollbackVolume(p[2], p[4]));
                case "DELETE volumes/*/snapshots/*" -> ok(control.removeSnapshot(p[2], p[4]));
                case "POST volumes/*/clone" -> {
                    var req = Json.MAPPER.readValue(body, ControlRequests.CloneVolume.class);
                    if (req == null || req.name() == null) throw new IllegalArgumentException("give the new overlay's name");
                    yield created(control.cloneVolume(p[2], req.name()));
                }
                case "DELETE volumes/*" -> {
                    control.removeVolume(p[2]);
                    yield ok(Map.of("removed", p[2]));
                }
                case "POST volumes/*/export" -> {
                    var req = Json.MAPPER.readValue(body, ControlRequests.ExportVolume.class);
                    if (req == null || req.file() == null) throw new IllegalArgumentException("give the file to export to");
                    control.exportVolume(p[2], req.file());
                    yield ok(Map.of("exported", req.file()));
                }
                case "POST volumes/*/resize" -> {
                    var req = Json.MAPPER.readValue(body, ControlRequests.ResizeVolume.class);
                    if (req == null || req.sizeBytes() == null) throw new IllegalArgumentException("give the new sizeBytes");
                    yield ok(control.resizeVolume(p[2], req.sizeBytes(), req.allowShrink()));
                }
                case "GET assets" -> ok(control.assets());
                case "POST assets" -> {
                    var req = Json.MAPPER.readValue(body, ControlRequests.AddAsset.class);
                    if (req == null || req.name() == null || req.file() == null) {
                        throw new IllegalArgumentException("give the asset's name and the file to add");
                    }
                    yield created(control.startAssetAdd(req.file(), req.name(), req.kind()));
                }
                case "DELETE assets/*" -> {
                    control.removeAsset(p[2]);
                    yield ok(Map.of("removed", p[2]));
                }
                case "GET leases" -> ok(control.leases());
                case "GET events" -> ok(control.events(longParam(query, "after", 0), (int) longParam(query, "limit", 1000)));
                case "POST services/*/start" -> ok(control.startService(p[2]));
                case "POST services/*/stop" -> ok(control.stopService(p[2]));
                case "POST services/*" -> switch (p[2]) {
                    case "start" -> ok(control.startAllServices());
                    case "stop" -> ok(control.stopAllServices());
                    default -> error(404, "no such resource: " + method + " " + path);
                };
                // ---- volume activity (Volumes view) ----
                case "GET volume-activity" -> ok(control.volumeActivity());
                // ---- clients: live activity ----
                case "GET clients/*" -> p[2].equals("activity") ? ok(control.clientActivity())
                        : error(404, "no such resource: " + method + " " + path);
                // ---- first-run wizard: saved server settings, network probing, iPXE files ----
                case "GET settings" -> ok(control.settings());
                case "PUT settings" -> {
                    var s = Json.MAPPER.readValue(body, org.netroot.server.api.ServerSettings.class);
                    yield ok(control.saveSettings(s));
                }
                case "GET network/*" -> p[2].equals("interfaces")
                        ? ok(control.networkInterfaces(Boolean.parseBoolean(query.getOrDefault("loopback", "false"))))
                        : error(404, "no such resource: " + method + " " + path);
                case "POST network/*" -> {
                    if (!p[2].equals("probe")) yield error(404, "no such resource: " + method + " " + path);
                    var req = Json.MAPPER.readValue(body, ControlRequests.ProbeDhcp.class);
                    if (req == null || req.interfaceName() == null) throw new IllegalArgumentException("give interfaceName");
                    yield ok(control.probeDhcp(req.interfaceName(),
                            req.waitMillis() <= 0 ? null : java.time.Duration.ofMillis(req.waitMillis())));
                }
                case "GET ipxe" -> ok(control.ipxeCheck());
                default -> error(404, "no such resource: " + method + " " + path);
            };
        } catch (JsonProcessingException e) {
            return error(400, "bad JSON: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            return error(400, e.getMessage());
        } catch (UncheckedIOException | StoreException | IllegalStateException e) {
            return error(500, e.getMessage());
        } catch (RuntimeException e) {
            // never leave a caller waiting for an answer that will not come
            return error(500, "internal error: " + e);
        }
    }

    static long longParam(Map<String, String> query, String name, long dflt) {
        String v = query.get(name);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number");
        }
    }

    private static Reply ok(Object o) throws JsonProcessingException {
        return new Reply(200, Json.MAPPER.writeValueAsString(o));
    }

    private static Reply created(Object o) throws JsonProcessingException {
        return new Reply(201, Json.MAPPER.writeValueAsString(o));
    }

    static Reply error(int status, String message) {
        try {
            return new Reply(status, Json.MAPPER.writeValueAsString(new ControlRequests.Error(message)));
        } catch (JsonProcessingException e) {
            return new Reply(status, "{\"error\":\"internal\"}");
        }
    }
}
