package org.netroot.server.nbd;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.netroot.server.api.BootOptions;
import org.netroot.server.api.Client;
import org.netroot.server.api.Volume;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.boot.CmdlineTemplate;
import org.netroot.server.storage.OpenVolumes;
import org.netroot.server.storage.VolumeStore;
import org.netroot.server.store.ClientDirectory;

/**
 * Each client's volume, exported under the volume's name, to that client only: a connection may
 * use it when it comes from where the {@link ClientAddressRule} believes the client is (its lease
 * or reservation in full DHCP mode, its vouched-for boot address in proxy mode). A volume no client
 * boots is not exported. A shared volume that several clients boot is open to each of them.
 */
public final class ClientExportCatalog implements ExportCatalog {
    private final ClientDirectory clients;
    private final PeerDirectory peers;
    private final VolumeStore volumes;
    private final ClientAddressRule addresses;

    public ClientExportCatalog(ClientDirectory clients, PeerDirectory peers, VolumeStore volumes,
                               ClientAddressRule addresses) {
        this.clients = clients;
        this.peers = peers;
        this.volumes = volumes;
        this.addresses = addresses;
    }

    @Override
    public List<NbdExport> visibleTo(InetAddress peer) {
        List<NbdExport> out = new ArrayList<>();
        for (Client c : clients.all()) {
            if (c.volumeName() == null || !servedOverNbd(c) || !mayUse(c, peer)) continue;
            if (out.stream().anyMatch(e -> e.name().equals(c.volumeName()))) continue; // one shared volume, two clients here
            export(c).ifPresent(out::add);
        }
        return out;
    }

    @Override
    public Lookup find(String name, InetAddress peer) {
        String peerMac = peers.macOrNull(peer);
        if (name.isEmpty()) return defaultExport(peer, peerMac);
        List<Client> booting = clients.all().stream().filter(c -> name.equals(c.volumeName())).toList();
        if (booting.isEmpty()) {
            return Lookup.unknown("no client boots a volume named " + printable(name) + " (NBD exports each client's volume"
                    + " under the volume's name: `netroot client list` shows them)", peerMac);
        }
        for (Client c : booting) {
            if (!servedOverNbd(c)) {
                return Lookup.refused("volume " + printable(name) + " belongs to a client that logs in with CHAP, which NBD"
                        + " cannot check: it is served over iSCSI only (over NBD too once the client's kernel command line"
                        + " mounts its root over NBD: nbd-root, ${nbd-export})", c.mac());
            }
            if (!mayUse(c, peer)) continue;
            Optional<NbdExport> e = export(c);
            if (e.isEmpty()) return Lookup.unknown("volume " + name + " of client " + c.name() + " does not exist", c.mac());
            addresses.used(c, peer, peers);
            return Lookup.found(e.get());
        }
        Client c = booting.get(0);
        return Lookup.refused(refusal(c, peer), peerMac != null ? peerMac : c.mac());
    }

    @Override
    public OpenVolumes.Attachment attach(NbdExport export, OpenVolumes.User user) throws IOException {
        return volumes.openVolumes().attach(export.name(), user);
    }

    @Override
    public void used(NbdExport export, InetAddress peer) {
        clients.byMac(export.mac()).ifPresent(c -> addresses.used(c, peer, peers));
    }

    /** The empty name: the one volume the asking address may use (dracut's and nbd-client's default). */
    private Lookup defaultExport(InetAddress peer, String peerMac) {
        List<NbdExport> mine = visibleTo(peer);
        if (mine.size() == 1) return Lookup.found(mine.get(0));
        String who = peer.getHostAddress();
        if (mine.isEmpty()) {
            return Lookup.unknown("no client's volume is exported to " + who + ", so there is no default export:"
                    + " boot the client through Netroot's DHCP" + (addresses.leasesAddresses()
                    ? ", or reserve it this address" : " and iPXE script"), peerMac);
        }
        return Lookup.unknown(who + " may use " + mine.size() + " volumes (" + String.join(", ",
                mine.stream().map(NbdExport::name).toList()) + "): name one", peerMac);
    }

    private boolean mayUse(Client c, InetAddress peer) {
        return addresses.isAt(c, peer, peers);
    }

    /** The admin's detail (a boot event and the log): the peer itself is told nothing of it. */
    private String refusal(Client c, InetAddress peer) {
        Optional<String> other = peers.linkShowsInstead(peer, c.mac());
        if (other.isPresent()) {
            return "volume " + c.volumeName() + " is the disk of client " + c.name() + " (" + c.mac() + "), but the network"
                    + " shows another machine (" + other.get() + ") at " + peer.getHostAddress() + ": refused (a forged"
                    + " DHCP request with the client's MAC?)";
        }
        return "volume " + c.volumeName() + " is the disk of client " + c.name() + " (" + c.mac() + "), "
                + addresses.whereKnown(c, peers) + ", not " + peer.getHostAddress() + ": NBD serves a client's volume"
                + " only at its own address. Boot it through Netroot's DHCP" + (addresses.leasesAddresses()
                ? ", or give it a reserved address" : "");
    }

    /** A name the client sent, safe for a log line and an event: at most 64 characters, no control characters. */
    static String printable(String name) {
        String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        return cut.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    }

    /**
     * NBD has no CHAP: the volume of a client that logs in with CHAP is exported only when that client's
     * own boot options mount it over NBD (a kernel or RAM-disk command line with the nbd-root template or
     * an NBD variable); else its address alone would open a disk CHAP guards over iSCSI.
     */
    static boolean servedOverNbd(Client c) {
        if (!c.chap()) return true;
        BootOptions b = c.boot();
        if (b == null) return false;
        return CmdlineTemplate.usesNbd(b.kernel() == null ? null : b.kernel().cmdline())
                || CmdlineTemplate.usesNbd(b.ramdisk() == null ? null : b.ramdisk().cmdline());
    }

    private Optional<NbdExport> export(Client c) {
        Optional<Volume> v = volumes.find(c.volumeName());
        return v.map(vol -> new NbdExport(vol.name(), c.name(), c.mac(), vol.sizeBytes(), vol.golden(), vol.shared()));
    }
}
