package org.netroot.server.runtime;

import org.netroot.server.service.ServiceCounters;
import org.netroot.server.service.ServiceManager;
import org.netroot.server.service.ManagedService;
import org.netroot.server.service.InputErrors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.netroot.server.api.Client;
import org.netroot.server.boot.InstallProgress;
import org.netroot.server.boot.IpxeBinaries;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.control.ControlApiServer;
import org.netroot.server.api.ControlEndpoint;
import org.netroot.server.events.BootEventBus;
import org.netroot.server.events.ChangeFeed;
import org.netroot.server.events.ClientActivityTracker;
import org.netroot.server.api.ChangeType;
import org.netroot.server.dhcp.DhcpService;
import org.netroot.server.events.NeighbourTable;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.store.BootEventRepository;
import org.netroot.server.store.ClientDirectory;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.DatabaseOwner;
import org.netroot.server.api.ServerStartup;
import org.netroot.server.store.LeaseRepository;
import org.netroot.server.store.PeerAddressRepository;
import org.netroot.server.store.StoreWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Netroot server: the database, the event bus, the protocol services and the control API,
 * started together and stopped in reverse order.
 */
public final class NetrootServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NetrootServer.class);

    private final ServerConfig config;
    private final Database db;
    private final BootEventBus bus;
    private final StoreWriter writer;
    private final PeerDirectory peers;
    private final InputErrors errors = new InputErrors();
    private final ServiceManager services = new ServiceManager(errors);
    private ServiceCounters counters;
    private final LocalControl control;
    private final List<String> warnings = new ArrayList<>();
    private ControlApiServer controlApi;
    private ServerStartup.ServerLock lock;

    /** Takes {@code db} over (closing the server closes it); the caller closes it when this throws. */
    private NetrootServer(ServerConfig config, Database db) {
        this.config = config;
        this.db = db;
        this.writer = new StoreWriter(db);
        try {
            ClientDirectory clients = new ClientRepository(db).directory();
            this.peers = new PeerDirectory(new PeerAddressRepository(db), writer).checkingLinksWith(NeighbourTable.system());
            this.bus = new BootEventBus(new BootEventRepository(db),
                    mac -> clients.byMac(mac).map(Client::name).orElse(null));
            this.control = new LocalControl(db, false, config.dataDir(), this::status, services);
            control.useIpxeDir(config.ipxeDir());
            int parts = control.volumeStore().removeStaleParts() + control.assetStore().removeStaleParts();
            if (parts > 0) log.info("removed {} part files of imports a stop or kill interrupted", parts);
            control.assetStore().removeUnrecorded(); // each one logged
            ChangeFeed feed = control.changes();
            bus.subscribe(e -> feed.publish(ChangeType.BOOT, e.clientName() != null ? e.clientName() : e.mac(), e));
            ClientActivityTracker activity = new ClientActivityTracker(clients, peers, feed);
            bus.subscribe(activity); // after BOOT: a card's state follows the event that changed it
            control.reportsActivityFrom(activity);
            services.listen((type, state) -> feed.publish(type, state.name(), state));
            warnings.addAll(BootFileCheck.missingIpxeFiles(config.ipxeDir()));
            ServiceWiring.addServices(services, config, clients, new LeaseRepository(db), writer,
                    control.volumeStore(), control.assetStore(), installProgress(clients), bus, peers, errors);
            services.all().stream().filter(s -> s instanceof DhcpService).map(s -> (DhcpService) s)
                    .forEach(d -> d.observedBy(feed, control.discovery()).firmwareSeenBy(activity));
        } catch (RuntimeException | Error e) {
            writer.close(); // its thread would outlive the failed start
            throw e;
        }
    }

    /**
     * Where each install stands: read from the database, kept there through the store writer, told of
     * iSCSI logins by the bus; the switch to sanboot is an edit of the client's, off the caller's thread.
     */
    private InstallProgress installProgress(ClientDirectory clients) {
        ClientRepository repository = new ClientRepository(db);
        java.util.Map<String, InstallProgress.Phase> stored = new java.util.HashMap<>();
        repository.installPhases().forEach((name, phase) -> {
            try {
                stored.put(name, InstallProgress.Phase.valueOf(phase));
            } catch (IllegalArgumentException e) {
                log.warn("client {}: unknown install phase {} ignored", name, phase);
            }
        });
        InstallProgress install = new InstallProgress(clients::byMac, stored,
                (name, phase) -> writer.submit(() -> repository.setInstallPhase(name, phase == null ? null : phase.name()))
                        .exceptionally(e -> {
                            log.warn("could not store the install phase of {}: {}", name, e.toString());
                            return null;
                        }),
                bus, c -> Thread.ofVirtual().name("install-done-" + c.name()).start(() -> {
                    try {
                        control.switchToSanboot(c.name());
                    } catch (RuntimeException e) {
                        log.warn("could not switch client {} to sanboot after its install: {}", c.name(), e.toString());
                    }
                }));
        bus.subscribe(install);
        return install;
    }

    /**
     * Opens the database, starts every service and the control API. Failing services are reported, not
     * fatal. From before the database is opened until the control API is published, the data folder
     * says a server is starting ({@link ServerStartup}), so commands wait for it instead of taking the
     * database.
     */
    public static NetrootServer start(ServerConfig config) throws Exception {
        return start(config, null);
    }

    /**
     * As {@link #start(ServerConfig)}; members of {@code controlGroup} (may be null) may read the files that
     * say whether and where the server runs, the control API's token among them: they may use the API
     * (the system service's group {@code netroot}: the app of a user in it attaches to the service).
     */
    public static NetrootServer start(ServerConfig config, String controlGroup) throws Exception {
        Database.createPrivate(config.dataDir());
        // held for the server's life, released after the database closes (by the kernel on a kill)
        ServerStartup.ServerLock lock = ServerStartup.lock(config.dataDir(), controlGroup);
        NetrootServer s = null;
        try (ServerStartup.Announcement starting = ServerStartup.announce(config.dataDir(), controlGroup)) {
            Database db = Database.open(config.dataDir(), DatabaseOwner.SERVER, Database.LOCK_WAIT);
            try {
                s = new NetrootServer(config, db);
            } catch (Throwable e) {
                db.close(); // else it stays open in this process (embedded, tests) and no command gets it
                throw e;
            }
            s.lock = lock;
            s.control.sampleVolumeActivity();
            s.warnings.addAll(s.services.startAll());
            s.counters = new ServiceCounters(s.services).start(ServiceCounters.DEFAULT_PERIOD);
            s.controlApi = new ControlApiServer(s.control, s.control.changes(), s.errors, config.controlPort());
            ControlEndpoint ep = s.controlApi.start();
            ep.write(config.dataDir(), controlGroup);
            log.info("control API on 127.0.0.1:{}", ep.port());
            return s;
        } catch (Throwable e) {
            if (s != null) s.close();
            lock.close();
            throw e;
        }
    }

    public ServerStatus status() {
        return new ServerStatus(true, services.states(), errors.snapshot(), List.copyOf(warnings));
    }

    public LocalControl control() {
        return control;
    }

    public ServiceManager services() {
        return services;
    }

    public InputErrors inputErrors() {
        return errors;
    }

    public BootEventBus events() {
        return bus;
    }

    /** The loopback control API (null until started). */
    public ControlApiServer controlApi() {
        return controlApi;
    }

    public List<String> warnings() {
        return Collections.unmodifiableList(warnings);
    }

    public <T extends ManagedService> T service(Class<T> type) {
        return services.all().stream().filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + type.getSimpleName()));
    }

    @Override
    public void close() {
        ControlEndpoint.remove(config.dataDir());
        if (controlApi != null) controlApi.close();
        if (counters != null) counters.close();
        services.stopAll();
        writer.close();
        bus.close();
        control.close();
        db.close();
        if (lock != null) lock.close(); // last: until here commands wait for a stopping server
    }

    /** Checks, in words a user understands, that the iPXE binaries firmware needs are there. */
    static final class BootFileCheck {
        private BootFileCheck() {
        }

        static List<String> missingIpxeFiles(Path ipxeDir) {
            List<String> w = new ArrayList<>();
            if (ipxeDir == null || !Files.isDirectory(ipxeDir)) {
                w.add("iPXE boot files folder " + ipxeDir + " does not exist: install the iPXE binaries (Debian/Ubuntu:"
                        + " `sudo apt install ipxe`) or pass --ipxe-dir; PXE firmware cannot boot until then");
                return w;
            }
            IpxeBinaries found = IpxeBinaries.scan(ipxeDir);
            if (!found.hasAny(IpxeBinaries.BIOS)) {
                w.add(String.join(" and ", IpxeBinaries.BIOS) + " is missing from " + ipxeDir
                        + ": BIOS PXE clients cannot boot");
            }
            if (!found.hasAny(IpxeBinaries.EFI_X64)) {
                w.add(String.join(" and ", IpxeBinaries.EFI_X64) + " are missing from " + ipxeDir
                        + ": UEFI PXE clients cannot boot");
            }
            return w;
        }
    }
}
