package org.netroot.server.iscsi;

import java.io.IOException;
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

/** A real target on loopback: H2 in a temp folder, raw volumes, the Netty service on a free port. */
final class IscsiLab implements AutoCloseable {
    final Database db;
    final ClientRepository clients;
    final VolumeStore volumes;
    final InputErrors errors = new InputErrors();
    final ConcurrentLinkedQueue<BootEvent> events = new ConcurrentLinkedQueue<>();
    final IscsiService service;

    IscsiLab(Path dir) throws Exception {
        db = Database.open(dir);
        clients = new ClientRepository(db);
        volumes = new VolumeStore(dir, new VolumeRepository(db));
        service = new IscsiService(new IscsiSettings((java.net.InetAddress) null, 0), new ClientTargetCatalog(clients.directory(), volumes), events::add,
                new PeerDirectory(), errors);
        service.start();
    }

    Client addClient(String name, String mac, long volumeBytes, String chapUser, String chapSecret,
                     String mutualUser, String mutualSecret) throws IOException {
        volumes.create(name + "-disk", volumeBytes, "raw"); // raw: tests read and write its file directly
        Client c = new Client(name, mac, name + "-disk", BootMode.SANBOOT, null, chapUser, chapSecret, mutualUser,
                mutualSecret, null);
        clients.add(c);
        return c;
    }

    Client addClient(String name, String mac, long volumeBytes) throws IOException {
        return addClient(name, mac, volumeBytes, null, null, null, null);
    }

    /**
     * A client whose raw volume is shared (several initiators may open it at once, a cluster disk)
     * and who may log in under each of {@code initiatorIqns}.
     */
    Client addSharedClient(String name, String mac, long volumeBytes, List<String> initiatorIqns) throws IOException {
        volumes.create(name + "-disk", volumeBytes, "raw");
        volumes.share(name + "-disk", true);
        Client c = Client.sanboot(name, mac, name + "-disk").withInitiatorIqns(initiatorIqns);
        clients.add(c);
        return c;
    }

    Path volumeFile(Client c) {
        return volumes.fileOf(volumes.require(c.volumeName()));
    }

    String url(Client c) {
        return "iscsi://127.0.0.1:" + service.port() + "/" + c.targetIqn() + "/0";
    }

    String url(String credentials, Client c) {
        return "iscsi://" + credentials + "@127.0.0.1:" + service.port() + "/" + c.targetIqn() + "/0";
    }

    List<BootEvent> events(BootEventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    /** Waits until a boot event whose detail contains {@code text} arrived (events come from event loops). */
    boolean awaitEvent(BootEventType type, String text) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            if (events(type).stream().anyMatch(e -> e.detail() != null && e.detail().contains(text))) return true;
            Thread.sleep(50);
        }
        return false;
    }

    @Override
    public void close() {
        service.stop();
        db.close();
    }
}
