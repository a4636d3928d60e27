package org.netroot.server.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.netroot.server.api.ClientActivity;
import org.netroot.server.events.ClientActivityTracker;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeListener;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Client;
import org.netroot.server.api.ClientSecrets;
import org.netroot.server.api.DiscoveredMachine;
import org.netroot.server.api.Job;
import org.netroot.server.api.Lease;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.OfflineControlFactory;
import org.netroot.server.api.ServerStartup;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.api.RemoteControl;
import org.netroot.server.api.ControlEndpoint;
import org.netroot.server.api.Snapshot;
import org.netroot.server.api.Volume;
import org.netroot.server.events.ChangeFeed;
import org.netroot.server.events.DiscoveredMachines;
import org.netroot.server.service.ServiceManager;
import org.netroot.server.store.DiscoveredMachineRepository;
import org.netroot.server.store.BootEventRepository;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.LeaseRepository;
import org.netroot.server.store.VolumeRepository;
import org.netroot.server.storage.VolumeStore;

/**
 * {@link NetrootControl} over the database and volume files of this process. Every change it makes
 * is published on its {@link ChangeFeed} (the live stream); in a server the services, DHCP and the
 * boot event bus publish there too.
 */
public final class LocalControl implements NetrootControl {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(LocalControl.class);
    private static final long FOLLOW_POLL_MS = 200;
    private static final long SERVER_WATCH_MS = 200;

    /** Found by {@link org.netroot.server.api.Netroot#offline} through {@link java.util.ServiceLoader}. */
    public static final class Offline implements OfflineControlFactory {
        @Override
        public NetrootControl open(Path dataDir) {
            return openOffline(dataDir);
        }
    }

    private final Database db;
    private final boolean ownsDatabase;
    private final ClientRepository clients;
    private final LeaseRepository leases;
    private final BootEventRepository events;
    private final VolumeStore volumes;
    private final org.netroot.server.storage.AssetStore assets;
    private final Supplier<ServerStatus> status;
    private final ServiceManager services;
    private final Path dataDir;
    private final ChangeFeed feed = new ChangeFeed();
    /** Open in-process subscriptions, ended when this closes. */
    private final java.util.Set<org.netroot.server.events.QueuedSubscription> subscribers =
            java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile boolean closing;
    private final Jobs jobs = new Jobs(feed);
    private final DiscoveredMachineRepository discoveredRepository;
    private final DiscoveredMachines discovered;
    private final ClientRules rules;
    /** Offline only: set once a server announced itself and this view let go of the database. */
    private volatile String yielded;
    private Thread serverWatch;
    /** The server's once-a-second I/O rates of open volumes; null offline and until the server started it. */
    private volatile org.netroot.server.storage.VolumeActivitySampler volumeActivity;
    /** Orders starting the sampler against closing (not this view's lock: close must not wait for a yield). */
    private final Object samplerLock = new Object();

    public LocalControl(Database db, boolean ownsDatabase, Path dataDir, Supplier<ServerStatus> status) {
        this(db, ownsDatabase, dataDir, status, null);
    }

    /** @param services the server's services, null when no server runs (starting and stopping is refused) */
    public LocalControl(Database db, boolean ownsDatabase, Path dataDir, Supplier<ServerStatus> status,
                        ServiceManager services) {
        this.services = services;
        this.dataDir = dataDir;
        this.db = db;
        this.ownsDatabase = ownsDatabase;
        this.clients = new ClientRepository(db);
        this.leases = new LeaseRepository(db);
        this.events = new BootEventRepository(db);
        this.volumes = new VolumeStore(dataDir, new VolumeRepository(db));
        this.assets = new org.netroot.server.storage.AssetStore(dataDir, new org.netroot.server.store.AssetRepository(db));
        this.status = status;
        this.rules = new ClientRules(clients, volumes, assets);
        this.discoveredRepository = new DiscoveredMachineRepository(db);
        this.discovered = new DiscoveredMachines(discoveredRepository, mac -> clients.byMac(mac).isPresent(), feed);
    }

    /**
     * Starts the server's once-a-second sampling of open volumes' I/O (VOLUME_ACTIVITY). Called by
     * {@link NetrootServer} once it is built, so a failed start leaves no sampler running; the
     * offline view opens no volume and never samples. Closing this control stops it.
     */
    void sampleVolumeActivity() {
        synchronized (samplerLock) {
            if (services == null || volumeActivity != null || closing) return;
            volumeActivity = new org.netroot.server.storage.VolumeActivitySampler(volumes.openVolumes()::usage,
                    a -> feed.publish(ChangeType.VOLUME_ACTIVITY, a.volumeName(), a)).start();
        }
    }

    /** The live stream's feed: boot events, services and DHCP publish here too. */
    public ChangeFeed changes() {
        return feed;
    }

    /** Where DHCP reports network-boot requests (remembered when the MAC is no client's). */
    public DiscoveredMachines discovery() {
        return discovered;
    }

    /** Opens the data folder's database for a CLI run while no server runs. */
    public static LocalControl openOffline(Path dataDir) {
        LocalControl c = new LocalControl(Database.open(dataDir), true, dataDir, ServerStatus::offline);
        c.volumes.removeStaleParts(); // of imports a stop or kill cut off: only the database's holder imports
        c.assets.removeStaleParts();
        c.assets.removeUnrecorded();
        c.serverWatch = Thread.ofVirtual().name("server-watch").start(c::watchForServer);
        return c;
    }

    /**
     * "A command must never break a starting server": H2 lets one process open the database, so an
     * offline view left open (an app, {@code events --follow}, a long import) lets go of it as soon
     * as a server announces itself ({@link ServerStartup}), well within the server's
     * {@link Database#LOCK_WAIT}. Running jobs are cancelled (their copies leave nothing behind);
     * later calls say to run the command again, which then goes to the server.
     */
    private void watchForServer() {
        // a control.json left by a server that died is no server; a new one is (it started between two looks)
        Optional<ControlEndpoint> stale = ControlEndpoint.read(dataDir);
        try {
            while (yielded == null) {
                Thread.sleep(SERVER_WATCH_MS);
                // the file checks are cheap; the marker is confirmed only when it is there
                boolean starting = Files.exists(dataDir.resolve(ServerStartup.FILE_NAME))
                        && ServerStartup.startingPid(dataDir).isPresent();
                if (starting || ControlEndpoint.read(dataDir).filter(ep -> !stale.equals(Optional.of(ep))).isPresent()) {
                    yieldToServer();
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    private synchronized void yieldToServer() {
        if (yielded != null) return;
        String why = serverStartedMessage(dataDir);
        yielded = why;
        jobs.cancelAll(why);
        // the server waits for the database only Database.LOCK_WAIT, and a copy in its final force() or
        // fsync does not look at cancel: so the database closes soon regardless. Safe: an import copies to a
        // part file and gets its name only when complete; one still running then fails to record itself,
        // removes its files and ends cancelled with this reason
        jobs.awaitAll(YIELD_WAIT);
        discovered.close();
        db.close();
    }

    /** How long a yield waits for cancelled copies before closing the database under them. */
    static final java.time.Duration YIELD_WAIT = java.time.Duration.ofSeconds(1);

    /**
     * Runs a call that reads or writes the store without this view's lock: when a yield closed the
     * database under it, it says so (run again, it goes to the server) instead of H2's "database closed".
     */
    private <T> T store(Supplier<T> call) {
        requireOpen();
        try {
            return call.get();
        } catch (RuntimeException e) {
            String why = yielded;
            if (why != null) throw new IllegalStateException(why, e);
            throw e;
        }
    }

    private void storeRun(Runnable call) {
        store(() -> {
            call.run();
            return null;
        });
    }

    /** What a call on an offline view says once a server took the data folder over. */
    public static String serverStartedMessage(Path dataDir) {
        return "a Netroot server started for " + dataDir + ": run the command again (it now goes to the server)";
    }

    /** Refuses work on an offline view that gave the database to a server. */
    private void requireOpen() {
        String why = yielded;
        if (why != null) throw new IllegalStateException(why);
    }

    @Override
    public List<Client> clients() {
        return store(() -> clients.list().stream().map(Client::withoutSecrets).toList());
    }

    @Override
    public synchronized Client addClient(Client c) {
        requireOpen();
        rules.check(c, null);
        clients.add(c);
        discovered.forget(c.mac());
        feed.publish(ChangeType.CLIENT_ADDED, c.name(), c.withoutSecrets());
        return c.withoutSecrets();
    }

    @Override
    public synchronized Client updateClient(String name, Client edited) {
        requireOpen();
        Client old = clients.byName(name).orElseThrow(() -> new IllegalArgumentException("no client named " + name));
        if (edited == null) throw new IllegalArgumentException("give the client's new settings");
        if (edited.name() != null && !edited.name().equals(name)) {
            throw new IllegalArgumentException("renaming a client is not supported: remove it and add it again as "
                    + edited.name());
        }
        // lists carry no secrets: "CHAP on, no secret given" keeps the stored one
        String secret = edited.chapSecret() == null && edited.chap() ? old.chapSecret() : edited.chapSecret();
        String mutual = edited.mutualChapSecret() == null && edited.mutualChap() ? old.mutualChapSecret()
                : edited.mutualChapSecret();
        // no initiator name given (the record derives one from a missing name): the stored names stay
        List<String> iqns = edited.initiatorIqn() == null || edited.initiatorIqn().equals(Client.IQN_PREFIX + ":initiator:null")
                ? old.initiatorIqns() : edited.initiatorIqns();
        // no boot options given (an older app, a form that does not edit them): the stored ones stay
        org.netroot.server.api.BootOptions boot = edited.boot().none() ? old.boot() : edited.boot();
        Client c = new Client(name, edited.mac() == null ? old.mac() : edited.mac(), edited.volumeName(),
                edited.bootMode(), null, edited.chapUser(), secret, edited.mutualChapUser(), mutual,
                edited.reservedIp()).withInitiatorIqns(iqns).withBoot(edited.bootMode(), boot);
        rules.check(c, name);
        clients.update(c);
        discovered.forget(c.mac());
        feed.publish(ChangeType.CLIENT_UPDATED, c.name(), c.withoutSecrets());
        return c.withoutSecrets();
    }

    /**
     * The server's own edit once an install with "then sanboot" booted its volume: the client boots
     * its volume from now on (a CLIENT_UPDATED change like any edit). Nothing when it left install
     * mode meanwhile.
     */
    public void switchToSanboot(String name) {
        synchronized (this) {
            Optional<Client> c = clients.byName(name);
            if (c.isEmpty() || c.get().bootMode() != org.netroot.server.api.BootMode.INSTALL) return;
            updateClient(name, c.get().withBoot(org.netroot.server.api.BootMode.SANBOOT, null));
        }
        log.info("client {} installed: boot mode sanboot from now on", name);
    }

    @Override
    public ClientSecrets clientSecrets(String name) {
        return store(() -> {
            return clients.byName(name).map(Client::secrets)
                    .orElseThrow(() -> new IllegalArgumentException("no client named " + name));
        });
    }

    @Override
    public List<BootEvent> clientEvents(String nameOrMac, long afterId, int limit) {
        return store(() -> {
            Optional<Client> c = clients.byName(nameOrMac);
            String mac;
            if (c.isPresent()) {
                mac = c.get().mac();
            } else {
                try {
                    mac = Client.normalizeMac(nameOrMac);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("no client named " + nameOrMac + " (and not a MAC address)");
                }
            }
            return events.forMacAfter(mac, afterId, Math.max(1, Math.min(limit, 10_000)));
        });
    }

    @Override
    /**
     * Refused while the client's volume is open (an iSCSI session, even one still closing): the
     * machine runs from that disk, so cutting it off is for the one at the machine to do; the
     * check holds the open volumes' lock, so no session attaches meanwhile.
     */
    public synchronized void removeClient(String name) {
        requireOpen();
        Client c = clients.byName(name).orElseThrow(() -> new IllegalArgumentException("no client named " + name));
        Runnable remove = () -> {
            if (!clients.remove(name)) throw new IllegalArgumentException("no client named " + name);
        };
        if (c.volumeName() == null) {
            remove.run();
        } else {
            volumes.openVolumes().whileClosed(c.volumeName(), user -> "client " + name + " is connected ("
                    + (user == null ? "a session that is closing" : user.connection()) + "): shut it down first",
                    remove::run);
        }
        feed.publish(ChangeType.CLIENT_REMOVED, name, null);
    }

    @Override
    public List<Volume> volumes() {
        return store(() -> volumes.list());
    }

    @Override
    public Volume createVolume(String name, long sizeBytes, String format) {
        return store(() -> {
            try {
                Volume v = volumes.create(name, sizeBytes, format);
                volumes.spaceWarning(name, sizeBytes).ifPresent(w -> log.warn("{}", w));
                feed.publish(ChangeType.VOLUME_CREATED, v.name(), v);
                return v;
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
    }

    @Override
    public org.netroot.server.api.DiskSpace diskSpace() {
        requireOpen();
        return volumes.space();
    }

    @Override
    public Volume makeGolden(String name) {
        return store(() -> {
            Volume v = volumes.makeGolden(name);
            feed.publish(ChangeType.VOLUME_CHANGED, v.name(), v);
            return v;
        });
    }

    @Override
    public Volume cloneVolume(String golden, String newName) {
        return store(() -> {
            try {
                Volume v = volumes.cloneOverlay(golden, newName);
                feed.publish(ChangeType.VOLUME_CREATED, v.name(), v);
                return v;
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
    }

    @Override
    public List<Snapshot> snapshots(String volume) {
        return store(() -> {
            try {
                return volumes.snapshots(volume);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
    }

    @Override
    public Volume createSnapshot(String volume, String snapshot) {
        return changeVolume(() -> volumes.createSnapshot(volume, snapshot));
    }

    @Override
    public Volume rollbackVolume(String volume, String snapshot) {
        return changeVolume(() -> volumes.rollback(volume, snapshot));
    }

    @Override
    public Volume removeSnapshot(String volume, String snapshot) {
        return changeVolume(() -> volumes.removeSnapshot(volume, snapshot));
    }

    private interface VolumeChange {
        Volume run() throws IOException;
    }

    /** Runs a change of one volume and tells the live stream of the volume as it is after it. */
    private Volume changeVolume(VolumeChange change) {
        return store(() -> {
            try {
                Volume v = change.run();
                feed.publish(ChangeType.VOLUME_CHANGED, v.name(), v);
                return v;
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
    }

    @Override
    public Volume resetVolume(String name) {
        return store(() -> {
            try {
                Volume v = volumes.reset(name);
                feed.publish(ChangeType.VOLUME_CHANGED, v.name(), v);
                return v;
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
    }

    @Override
    public Job startPromote(String overlay, String newName) {
        return store(() -> {
            Volume v = volumes.require(overlay);
            if (!v.overlay()) {
                throw new IllegalArgumentException("volume " + overlay + " is no overlay: make it a golden image"
                        + " itself (`netroot volume golden " + overlay + "`)");
            }
            VolumeStore.Reservation reservation = volumes.reserve(newName);
            try {
                return jobs.start(Job.Kind.PROMOTE, newName, v.sizeBytes(), progress -> {
                    try (reservation) {
                        Volume g = volumes.promote(overlay, reservation, progress);
                        feed.publish(ChangeType.VOLUME_CREATED, g.name(), g);
                        return "promoted overlay " + overlay + " to golden image " + newName;
                    }
                });
            } catch (RuntimeException | Error e) {
                reservation.close();
                throw e;
            }
        });
    }

    @Override
    public Volume importVolume(String name, String imagePath) {
        Job j = jobs.await(startImport(name, imagePath).id());
        if (j.state() != Job.State.SUCCEEDED) throw failed(j);
        return volumes.require(name);
    }

    @Override
    public void exportVolume(String name, String targetPath) {
        Job j = jobs.await(startExport(name, targetPath).id());
        if (j.state() != Job.State.SUCCEEDED) throw failed(j);
    }

    private static RuntimeException failed(Job j) {
        return j.message() != null && (j.message().startsWith("no ") || j.message().contains("already exists")
                || j.message().startsWith("volume names")) ? new IllegalArgumentException(j.message())
                : new IllegalStateException(j.message());
    }

    @Override
    public Job startImport(String name, String imagePath) {
        return store(() -> {
            Path image = Path.of(imagePath);
            if (!java.nio.file.Files.isRegularFile(image)) throw new IllegalArgumentException("no such image file: " + imagePath);
            long size;
            try {
                size = java.nio.file.Files.size(image);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read image file " + imagePath + ": " + e.getMessage());
            }
            // the name is the job's from now on: a second import of it is refused here, not raced on disk
            VolumeStore.Reservation reservation = volumes.reserve(name);
            try {
                return jobs.start(Job.Kind.IMPORT, name, size, progress -> {
                    try (reservation) {
                        Volume v = volumes.importImage(reservation, image, 0, progress);
                        feed.publish(ChangeType.VOLUME_CREATED, v.name(), v);
                        return "imported " + imagePath + " as volume " + name;
                    }
                });
            } catch (RuntimeException | Error e) {
                reservation.close();
                throw e;
            }
        });
    }

    @Override
    public Job startExport(String name, String targetPath, String format) {
        return store(() -> {
            Volume v = volumes.require(name);
            org.netroot.server.storage.VolumeFormat f = format == null ? org.netroot.server.storage.VolumeFormat.RAW
                    : org.netroot.server.storage.VolumeFormat.byName(format);
            Path folder = Path.of(targetPath).toAbsolutePath().getParent();
            if (folder != null && !java.nio.file.Files.isDirectory(folder)) {
                throw new IllegalArgumentException("folder " + folder + " does not exist: create it, or export elsewhere");
            }
            return jobs.start(Job.Kind.EXPORT, name, v.sizeBytes(), progress -> {
                volumes.export(name, Path.of(targetPath), f, progress);
                return "exported volume " + name + " to " + targetPath + " (" + f.id() + ")";
            });
        });
    }

    @Override
    public Job job(long id) {
        return jobs.get(id);
    }

    @Override
    public List<Job> jobs() {
        return jobs.list();
    }

    @Override
    public Job cancelJob(long id) {
        return jobs.cancel(id);
    }

    @Override
    public Volume resizeVolume(String name, long newSizeBytes, boolean allowShrink) {
        return store(() -> {
            try {
                Volume v = volumes.resize(name, newSizeBytes, allowShrink);
                volumes.spaceWarning(name, newSizeBytes).ifPresent(w -> log.warn("{}", w));
                feed.publish(ChangeType.VOLUME_CHANGED, v.name(), v);
                return v;
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
    }

    /** Under this view's lock, as addClient and updateClient: no client takes the volume between check and unsharing. */
    @Override
    public synchronized Volume shareVolume(String name, boolean shared) {
        return store(() -> {
            if (!shared) {
                List<String> users = clients.list().stream().filter(c -> name.equals(c.volumeName())).map(Client::name)
                        .toList();
                if (users.size() > 1) {
                    throw new IllegalArgumentException("volume " + name + " is the disk of clients "
                            + String.join(", ", users) + ": give all but one of them another volume first");
                }
            }
            Volume v = volumes.share(name, shared);
            feed.publish(ChangeType.VOLUME_CHANGED, v.name(), v);
            return v;
        });
    }

    /** Under this view's lock, as addClient and updateClient: no client takes the volume between check and removal. */
    @Override
    public synchronized void removeVolume(String name) {
        storeRun(() -> {
            clients.list().stream().filter(c -> name.equals(c.volumeName())).findFirst().ifPresent(c -> {
                throw new IllegalArgumentException("volume " + name + " is the disk of client " + c.name()
                        + ": remove the client first");
            });
            try {
                volumes.remove(name);
                feed.publish(ChangeType.VOLUME_REMOVED, name, null);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
        });
    }

    // ---- the asset library ----

    @Override
    public List<org.netroot.server.api.Asset> assets() {
        return store(() -> assets.list());
    }

    @Override
    public Job startAssetAdd(String file, String name, org.netroot.server.api.AssetKind kind) {
        return store(() -> {
            if (file == null || file.isBlank()) throw new IllegalArgumentException("give the file to add");
            Path source = Path.of(file).toAbsolutePath();
            long size;
            try {
                // opened with the server's rights: never a file of the data folder, however named
                Path real = assets.checkSource(source);
                if (!Files.isReadable(real)) throw new IllegalArgumentException("cannot read " + file + " (permissions)");
                size = Files.size(real);
                // refused now, not in the job; by the name given, as the job will (a link named root.squashfs)
                if (kind == null) org.netroot.server.storage.AssetStore.kindOf(real, source);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
            }
            AutoCloseable claim = assets.reserve(name);
            try {
                return jobs.start(Job.Kind.ADD_ASSET, name, size, progress -> {
                    try (claim) {
                        org.netroot.server.api.Asset a = assets.add(name, kind, source, progress);
                        feed.publish(ChangeType.ASSET_ADDED, a.name(), a);
                        return "added " + file + " as asset " + name + " (" + a.kind().id() + ", " + a.sizeBytes()
                                + " bytes, sha256 " + a.sha256() + ")";
                    }
                });
            } catch (RuntimeException | Error e) {
                try {
                    claim.close();
                } catch (Exception ignored) {
                    // releasing a name cannot fail
                }
                throw e;
            }
        });
    }

    /** Under this view's lock, as addClient and updateClient: no client takes the asset between check and removal. */
    @Override
    public synchronized void removeAsset(String name) {
        storeRun(() -> {
            org.netroot.server.api.Asset asset = assets.require(name);
            AssetUsers.whyInUse(asset, clients.list()).ifPresent(why -> {
                throw new IllegalArgumentException(why);
            });
            try {
                assets.remove(name);
            } catch (IOException e) {
                throw new UncheckedIOException(e.getMessage(), e);
            }
            feed.publish(ChangeType.ASSET_REMOVED, name, null);
        });
    }

    public org.netroot.server.storage.AssetStore assetStore() {
        return assets;
    }

    @Override
    public List<Lease> leases() {
        return store(() -> leases.list());
    }

    @Override
    public List<DiscoveredMachine> discoveredMachines() {
        return store(() -> discoveredRepository.list());
    }

    @Override
    public void forgetDiscovered(String mac) {
        storeRun(() -> {
            if (!discovered.forget(Client.normalizeMac(mac))) {
                throw new IllegalArgumentException("no discovered machine with MAC " + mac);
            }
        });
    }

    @Override
    public List<BootEvent> events(long afterId, int limit) {
        return store(() -> events.after(afterId, Math.max(1, Math.min(limit, 10_000))));
    }

    @Override
    public AutoCloseable followEvents(long afterId, Consumer<BootEvent> sink) {
        return followEvents(afterId, sink, end -> { });
    }

    /**
     * Offline, following can end by itself too: once a server took the data folder over the rest
     * comes from its live stream, which ends when that server stops; {@code onEnd} hears of that,
     * of a server whose control API never answered, and of a sink or database that failed.
     */
    @Override
    public AutoCloseable followEvents(long afterId, Consumer<BootEvent> sink, Consumer<Throwable> onEnd) {
        if (services != null) return org.netroot.server.api.BootEventFollower.follow(this, afterId, sink, onEnd);
        // offline: no server writes boot events, so polling the database costs nothing on a live path;
        // once a server takes the data folder over, the rest comes from its live stream
        requireOpen();
        var live = new java.util.concurrent.atomic.AtomicReference<AutoCloseable>();
        var closedByCaller = new java.util.concurrent.atomic.AtomicBoolean();
        var ended = new java.util.concurrent.atomic.AtomicBoolean();
        Consumer<Throwable> endOnce = why -> {
            // once, and never for the caller's own close
            if (!closedByCaller.get() && ended.compareAndSet(false, true)) onEnd.accept(why);
        };
        Thread t = Thread.ofVirtual().name("follow-events").start(() -> {
            long last = afterId;
            try {
                while (yielded == null) {
                    List<BootEvent> page;
                    try {
                        page = events(last, 1000);
                    } catch (RuntimeException e) {
                        if (yielded == null) throw e;
                        break; // the database went to a server mid-read: switch below
                    }
                    for (BootEvent e : page) {
                        sink.accept(e);
                        last = e.id();
                    }
                    Thread.sleep(FOLLOW_POLL_MS);
                }
                if (closing) {
                    endOnce.accept(new IllegalStateException(yielded));
                    return;
                }
                followServer(last, sink, live, endOnce);
            } catch (InterruptedException e) {
                // closed by the caller
            } catch (Throwable e) {
                // the sink or the database failed: the thread ends here, so say so rather than go silent
                endOnce.accept(e);
            }
        });
        return () -> {
            closedByCaller.set(true);
            t.interrupt();
            AutoCloseable l = live.getAndSet(null);
            if (l != null) l.close();
        };
    }

    /** After yielding: waits for the server's control API, then follows its live stream from {@code last}. */
    private void followServer(long last, Consumer<BootEvent> sink, java.util.concurrent.atomic.AtomicReference<AutoCloseable> live,
            Consumer<Throwable> onEnd) throws InterruptedException {
        long deadline = System.nanoTime() + org.netroot.server.api.Netroot.STARTING_WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (ControlEndpoint.read(dataDir).isPresent()) {
                Optional<RemoteControl> remote = RemoteControl.connect(dataDir);
                if (remote.isPresent()) {
                    RemoteControl r = remote.get();
                    try {
                        AutoCloseable follow = r.followEvents(last, sink, onEnd);
                        live.set(() -> {
                            try {
                                follow.close();
                            } finally {
                                r.close();
                            }
                        });
                    } catch (RuntimeException e) {
                        r.close();
                        throw e;
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        AutoCloseable l = live.getAndSet(null);
                        if (l != null) {
                            try {
                                l.close();
                            } catch (Exception ignored) {
                                // closing
                            }
                        }
                    }
                    return;
                }
            }
            Thread.sleep(FOLLOW_POLL_MS);
        }
        org.slf4j.LoggerFactory.getLogger(LocalControl.class).warn("{}; its control API did not answer", yielded);
        onEnd.accept(new IllegalStateException(yielded + "; but its control API did not answer within "
                + org.netroot.server.api.Netroot.STARTING_WAIT.toSeconds() + " s: check it (`netroot status`)"));
    }

    @Override
    public AutoCloseable subscribe(long afterId, ChangeListener listener) {
        // In-process: the feed calls under its lock, so the listener gets its own thread and a bounded queue.
        var s = new org.netroot.server.events.QueuedSubscription(feed, listener);
        subscribers.add(s);
        if (closing) s.end(false);
        return s.start(afterId, () -> subscribers.remove(s));
    }

    @Override
    public ServerStatus status() {
        return status.get();
    }

    @Override
    public ServerStatus startService(String name) {
        requireServer().start(name);
        return status();
    }

    @Override
    public ServerStatus stopService(String name) {
        requireServer().stop(name);
        return status();
    }

    @Override
    public ServerStatus startAllServices() {
        requireServer().startAll();
        return status();
    }

    @Override
    public ServerStatus stopAllServices() {
        requireServer().stopAll();
        return status();
    }

    private ServiceManager requireServer() {
        if (services == null) {
            throw new IllegalStateException("no Netroot server runs for " + dataDir + ": start it (`netroot serve` or"
                    + " the system service) to start or stop its services");
        }
        return services;
    }

    public VolumeStore volumeStore() {
        return volumes;
    }

    // ---- first-run wizard: saved server settings, network probing, iPXE files ----

    /** The iPXE folder the server was started with; null offline (the saved or default one is checked). */
    private volatile Path ipxeDir;

    /** Called by the server: {@link #ipxeCheck()} looks at the folder it serves. */
    public void useIpxeDir(Path folder) {
        this.ipxeDir = folder;
    }

    @Override
    public org.netroot.server.api.ServerSettings settings() {
        return SettingsFile.read(dataDir).orElse(org.netroot.server.api.ServerSettings.none());
    }

    @Override
    public org.netroot.server.api.ServerSettings saveSettings(org.netroot.server.api.ServerSettings settings) {
        if (settings == null) throw new IllegalArgumentException("give the settings to save");
        List<String> problems = new ArrayList<>(
                org.netroot.server.api.SettingsCheck.problems(settings, NetworkSetup.interfaces(true)));
        IpxeFolderRule.problem(settings.ipxeDir(), dataDir).ifPresent(problems::add);
        if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        SettingsFile.write(dataDir, settings);
        return settings;
    }

    @Override
    public List<org.netroot.server.api.NetworkInterfaceInfo> networkInterfaces(boolean includeLoopback) {
        return NetworkSetup.interfaces(includeLoopback);
    }

    @Override
    public org.netroot.server.api.DhcpProbeResult probeDhcp(String interfaceName, java.time.Duration wait) {
        if (interfaceName == null || interfaceName.isBlank()) throw new IllegalArgumentException("choose a network interface");
        return NetworkSetup.probe(interfaceName, wait);
    }

    @Override
    public org.netroot.server.api.IpxeCheck ipxeCheck() {
        Path folder = ipxeDir;
        if (folder == null) {
            String saved = settings().ipxeDir();
            folder = saved == null || saved.isBlank() ? org.netroot.server.boot.IpxeBinaries.DEFAULT_DIR : Path.of(saved);
        }
        return NetworkSetup.ipxeCheck(folder);
    }

    @Override
    public void close() {
        // subscribers first: they are told the server stopped (onClosed), after what they were sent
        closing = true;
        synchronized (samplerLock) {
            if (volumeActivity != null) volumeActivity.close();
        }
        for (var s : subscribers) s.end(false);
        if (serverWatch != null) serverWatch.interrupt();
        synchronized (this) {
            if (yielded != null) return; // the database went to a server already
            yielded = "this view of " + dataDir + " is closed";
        }
        jobs.close();
        discovered.close();
        if (ownsDatabase) db.close();
    }

    // ---- volume activity (Volumes view) ----

    /** The open volumes, who has each and its I/O rates over the last second; empty offline. */
    @Override
    public List<org.netroot.server.api.VolumeActivity> volumeActivity() {
        var sampler = volumeActivity;
        return sampler == null ? List.of() : sampler.current();
    }

    // ---- clients: live activity (the server's tracker; the offline view has none) ----

    private volatile Supplier<List<ClientActivity>> activity = List::of;

    /** In a server: where {@link #clientActivity()} reads what each client is doing. */
    public void reportsActivityFrom(ClientActivityTracker tracker) {
        this.activity = tracker::all;
    }

    @Override
    public List<ClientActivity> clientActivity() {
        return activity.get();
    }
}
