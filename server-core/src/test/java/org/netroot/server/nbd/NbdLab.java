package org.netroot.server.nbd;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.netroot.server.storage.VolumeStore;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.VolumeRepository;

/**
 * A real NBD server on loopback: H2 in a temp folder, volumes in the store, the Netty service on a free
 * port. Clients added here may connect from 127.0.0.1 (their reserved address) unless told otherwise.
 */
final class NbdLab implements AutoCloseable {
    static final String LOOPBACK = "127.0.0.1";
    /** Netroot leases the addresses (for an hour): a client's reserved address counts. */
    static final ClientAddressRule FULL_DHCP = ClientAddressRule.fullDhcp(java.time.Duration.ofHours(1));

    final Database db;
    final ClientRepository clients;
    final VolumeStore volumes;
    final PeerDirectory peers = new PeerDirectory();
    final InputErrors errors = new InputErrors();
    final ConcurrentLinkedQueue<BootEvent> events = new ConcurrentLinkedQueue<>();
    final NbdService service;
    /** Set by a test: recording each boot event takes this long (a slow timeline, a busy machine). */
    volatile long eventMillis;

    NbdLab(Path dir) throws Exception {
        db = Database.open(dir);
        clients = new ClientRepository(db);
        volumes = new VolumeStore(dir, new VolumeRepository(db));
        service = new NbdService(new NbdSettings((InetAddress) null, 0),
                new ClientExportCatalog(clients.directory(), peers, volumes, FULL_DHCP), this::record, errors);
        service.start();
    }

    private void record(BootEvent e) {
        if (eventMillis > 0) {
            try {
                Thread.sleep(eventMillis);
            } catch (InterruptedException stopping) {
                Thread.currentThread().interrupt();
            }
        }
        events.add(e);
    }

    /** A client with a new volume {@code NAME-disk} of {@code format} ("raw" or "qcow2"), reserved address {@code ip}. */
    Client addClient(String name, String mac, long volumeBytes, String format, String ip) throws IOException {
        volumes.create(name + "-disk", volumeBytes, format);
        Client c = new Client(name, mac, name + "-disk", BootMode.SANBOOT, null, null, null, null, null, ip);
        clients.add(c);
        return c;
    }

    /** A raw volume at 127.0.0.1: tests read and write its file directly. */
    Client addClient(String name, String mac, long volumeBytes) throws IOException {
        return addClient(name, mac, volumeBytes, "raw", LOOPBACK);
    }

    Path volumeFile(Client c) {
        return volumes.fileOf(volumes.require(c.volumeName()));
    }

    String url(Client c) {
        return "nbd://" + LOOPBACK + ":" + service.port() + "/" + c.volumeName();
    }

    List<BootEvent> events(BootEventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    /** Waits until a boot event whose detail contains {@code text} arrived (events come from the disk threads). */
    boolean awaitEvent(BootEventType type, String text) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (events(type).stream().anyMatch(e -> e.detail() != null && e.detail().contains(text))) return true;
            Thread.sleep(25);
        }
        return false;
    }

    long dropped() {
        return errors.count(NbdService.NAME);
    }

    void awaitDropped(long n) throws InterruptedException {
        for (int i = 0; i < 200 && dropped() < n; i++) Thread.sleep(25);
        if (dropped() != n) throw new AssertionError("dropped " + dropped() + " connections, expected " + n);
    }

    @Override
    public void close() {
        service.stop();
        db.close();
    }
}
