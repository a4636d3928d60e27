package org.netroot.server.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.Client;
import org.netroot.server.api.Lease;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.ServerStatus;
import org.netroot.server.api.Volume;
import org.netroot.server.http.IpxeScriptBuilder;
import org.netroot.server.store.BootEventRepository;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.LeaseRepository;
import org.netroot.server.store.VolumeRepository;
import org.netroot.server.storage.VolumeStore;

/** {@link NetrootControl} over the database and volume files of this process. */
public final class LocalControl implements NetrootControl {
    private static final long FOLLOW_POLL_MS = 200;

    private final Database db;
    private final boolean ownsDatabase;
    private final ClientRepository clients;
    private final LeaseRepository leases;
    private final BootEventRepository events;
    private final VolumeStore volumes;
    private final Supplier<ServerStatus> status;

    public LocalControl(Database db, boolean ownsDatabase, Path dataDir, Supplier<ServerStatus> status) {
        this.db = db;
        this.ownsDatabase = ownsDatabase;
        this.clients = new ClientRepository(db);
        this.leases = new LeaseRepository(db);
        this.events = new BootEventRepository(db);
        this.volumes = new VolumeStore(dataDir, new VolumeRepository(db));
        this.status = status;
    }

    /** Opens the data folder's database for a CLI run while no server runs. */
    public static LocalControl openOffline(Path dataDir) {
        return new LocalControl(Database.open(dataDir), true, dataDir, ServerStatus::offline);
    }

    @Override
    public List<Client> clients() {
        return clients.list();
    }

    @Override
    public Client addClient(Client c) {
        if (!Client.isValidName(c.name())) {
            throw new IllegalArgumentException("client names use lower-case letters, digits and '-' (up to 63), starting"
                    + " with a letter or digit: " + c.name());
        }
        if (c.volumeName() != null) {
            volumes.require(c.volumeName());
            clients.list().stream().filter(o -> c.volumeName().equals(o.volumeName())).findFirst().ifPresent(o -> {
                throw new IllegalArgumentException("volume " + c.volumeName() + " is already the disk of client "
                        + o.name() + ": two machines writing one disk destroy it; create another volume");
            });
        }
        if (clients.byName(c.name()).isPresent()) throw new IllegalArgumentException("a client named " + c.name() + " already exists");
        clients.byMac(c.mac()).ifPresent(o -> {
            throw new IllegalArgumentException("MAC " + c.mac() + " already belongs to client " + o.name());
        });
        checkIscsiValue("initiator IQN", c.initiatorIqn());
        if (c.chapSecret() != null) checkSecret("CHAP secret", c.chapSecret());
        if (c.chapUser() != null) checkIscsiValue("CHAP user", c.chapUser());
        if (c.mutualChapSecret() != null) {
            if (c.chapSecret() == null) throw new IllegalArgumentException("mutual CHAP needs a CHAP secret too");
            checkSecret("mutual CHAP secret", c.mutualChapSecret());
            if (c.mutualChapSecret().equals(c.chapSecret())) {
                throw new IllegalArgumentException("the mutual CHAP secret must differ from the CHAP secret (RFC 7143 §12.1.3)");
            }
        }
        if (c.mutualChapUser() != null) checkIscsiValue("mutual CHAP user", c.mutualChapUser());
        if (c.reservedIp() != null) {
            if (!isDottedQuad(c.reservedIp())) {
                throw new IllegalArgumentException("reserved address must be an IPv4 address like 192.168.1.50: " + c.reservedIp());
            }
            clients.list().stream().filter(o -> c.reservedIp().equals(o.reservedIp())).findFirst().ifPresent(o -> {
                throw new IllegalArgumentException("address " + c.reservedIp() + " is already reserved for client " + o.name());
            });
        }
        clients.add(c);
        return c;
    }

    @Override
    public void removeClient(String name) {
        if (!clients.remove(name)) throw new IllegalArgumentException("no client named " + name);
    }

    @Override
    public List<Volume> volumes() {
        return volumes.list();
    }

    @Override
    public Volume createVolume(String name, long sizeBytes) {
        try {
            return volumes.create(name, sizeBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public Volume importVolume(String name, String imagePath) {
        try {
            return volumes.importImage(name, Path.of(imagePath), 0);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException("no such image file: " + imagePath);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public void exportVolume(String name, String targetPath) {
        try {
            volumes.export(name, Path.of(targetPath));
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public Volume resizeVolume(String name, long newSizeBytes, boolean allowShrink) {
        try {
            return volumes.resize(name, newSizeBytes, allowShrink);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public void removeVolume(String name) {
        clients.list().stream().filter(c -> name.equals(c.volumeName())).findFirst().ifPresent(c -> {
            throw new IllegalArgumentException("volume " + name + " is the disk of client " + c.name()
                    + ": remove the client first");
        });
        try {
            volumes.remove(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    @Override
    public List<Lease> leases() {
        return leases.list();
    }

    @Override
    public List<BootEvent> events(long afterId, int limit) {
        return events.after(afterId, Math.max(1, Math.min(limit, 10_000)));
    }

    @Override
    public AutoCloseable followEvents(long afterId, Consumer<BootEvent> sink) {
        Thread t = Thread.ofVirtual().name("follow-events").start(() -> {
            long last = afterId;
            while (!Thread.currentThread().isInterrupted()) {
                for (BootEvent e : events(last, 1000)) {
                    sink.accept(e);
                    last = e.id();
                }
                try {
                    Thread.sleep(FOLLOW_POLL_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        return t::interrupt;
    }

    @Override
    public ServerStatus status() {
        return status.get();
    }

    public VolumeStore volumeStore() {
        return volumes;
    }

    @Override
    public void close() {
        if (ownsDatabase) db.close();
    }

    static boolean isDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) {
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    private static void checkSecret(String what, String secret) {
        checkIscsiValue(what, secret);
        // Windows initiators demand 12-16 characters; RFC 7143 §12.1.3 wants secrets long enough to resist guessing
        if (secret.length() < 12) throw new IllegalArgumentException(what + " must be at least 12 characters");
    }

    private static void checkIscsiValue(String what, String v) {
        if (v != null && !IpxeScriptBuilder.isSafeValue(v)) {
            throw new IllegalArgumentException(what + " may hold printable characters except spaces and $ { } # \" ' \\");
        }
    }
}
