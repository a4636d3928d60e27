package org.netroot.server.runtime;

import org.netroot.server.api.Client;
import org.netroot.server.api.IscsiValues;
import org.netroot.server.storage.VolumeStore;
import org.netroot.server.store.ClientRepository;

/** What a client must satisfy to be added or saved, in words a user can act on. */
final class ClientRules {
    private final ClientRepository clients;
    private final VolumeStore volumes;
    private final BootOptionRules boot;

    ClientRules(ClientRepository clients, VolumeStore volumes, org.netroot.server.storage.AssetStore assets) {
        this.clients = clients;
        this.volumes = volumes;
        this.boot = new BootOptionRules(assets);
    }

    /** The checks add and edit share; {@code self} is the client being edited (its own values are no conflict). */
    void check(Client c, String self) {
        if (!Client.isValidName(c.name())) {
            throw new IllegalArgumentException("client names use lower-case letters, digits and '-' (up to 63), starting"
                    + " with a letter or digit: " + c.name());
        }
        if (c.volumeName() != null && !volumes.require(c.volumeName()).shared()) {
            clients.list().stream().filter(o -> !o.name().equals(self) && c.volumeName().equals(o.volumeName()))
                    .findFirst().ifPresent(o -> {
                throw new IllegalArgumentException("volume " + c.volumeName() + " is already the disk of client "
                        + o.name() + ": two machines writing one disk destroy it; create another volume (or share"
                        + " this one, `netroot volume edit " + c.volumeName() + " --shared`, if the machines are a"
                        + " cluster that coordinates its writes)");
            });
        }
        if (self == null && clients.byName(c.name()).isPresent()) {
            throw new IllegalArgumentException("a client named " + c.name() + " already exists");
        }
        clients.byMac(c.mac()).filter(o -> !o.name().equals(self)).ifPresent(o -> {
            throw new IllegalArgumentException("MAC " + c.mac() + " already belongs to client " + o.name());
        });
        String iqns = IscsiValues.initiatorIqnsProblem(c.initiatorIqns());
        if (iqns != null) throw new IllegalArgumentException(iqns);
        if (c.chap() && c.chapSecret() == null) throw new IllegalArgumentException("CHAP is on: give a CHAP secret");
        if (c.mutualChap() && c.mutualChapSecret() == null) {
            throw new IllegalArgumentException("mutual CHAP is on: give a mutual CHAP secret");
        }
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
        boot.check(c);
        if (c.reservedIp() != null) {
            if (!isDottedQuad(c.reservedIp())) {
                throw new IllegalArgumentException("reserved address must be an IPv4 address like 192.168.1.50: " + c.reservedIp());
            }
            clients.list().stream().filter(o -> !o.name().equals(self) && c.reservedIp().equals(o.reservedIp()))
                    .findFirst().ifPresent(o -> {
                throw new IllegalArgumentException("address " + c.reservedIp() + " is already reserved for client " + o.name());
            });
        }
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
        String problem = v == null ? null : IscsiValues.problem(what, v);
        if (problem != null) throw new IllegalArgumentException(problem);
    }
}
