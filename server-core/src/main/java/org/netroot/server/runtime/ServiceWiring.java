package org.netroot.server.runtime;

import org.netroot.server.boot.AssetCatalog;
import org.netroot.server.boot.BootPlanner;
import org.netroot.server.boot.InstallProgress;
import org.netroot.server.service.ServiceManager;
import org.netroot.server.service.InputErrors;
import org.netroot.server.dhcp.DhcpService;
import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.events.BootEventBus;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.iscsi.ClientTargetCatalog;
import org.netroot.server.iscsi.IscsiService;
import org.netroot.server.http.HttpService;
import org.netroot.server.storage.AssetStore;
import org.netroot.server.nbd.ClientAddressRule;
import org.netroot.server.nbd.ClientExportCatalog;
import org.netroot.server.nbd.NbdService;
import org.netroot.server.storage.VolumeStore;
import org.netroot.server.store.ClientDirectory;
import org.netroot.server.store.LeaseRepository;
import org.netroot.server.store.StoreWriter;
import org.netroot.server.tftp.TftpService;

/** Builds the protocol services from the configuration: the one place that knows all of them. */
final class ServiceWiring {
    private ServiceWiring() {
    }

    static void addServices(ServiceManager services, ServerConfig config, ClientDirectory clients,
                            LeaseRepository leases, StoreWriter writer, VolumeStore volumes, AssetStore assets,
                            InstallProgress install, BootEventBus bus, PeerDirectory peers, InputErrors errors) {
        // one planner for the three boot services: a mode is one decision, not three
        BootPlanner planner = new BootPlanner(clients::byMac, catalog(assets), install, config.iscsiPort());
        if (config.dhcpMode() != DhcpMode.OFF && !config.interfaces().isEmpty()) {
            services.add(new DhcpService(ServiceSettings.dhcp(config), clients, leases, writer, bus, peers, errors)
                    .plannedBy(planner));
        }
        services.add(new TftpService(ServiceSettings.tftp(config), bus, peers, errors).plannedBy(planner));
        HttpService http = new HttpService(ServiceSettings.http(config), planner, bus, peers, errors);
        http.routes().servedTo(install.servedHook());
        services.add(http);
        services.add(new IscsiService(ServiceSettings.iscsi(config), new ClientTargetCatalog(clients, volumes), bus, peers,
                errors));
        // the same volumes through the same OpenVolumes: one writer per volume across iSCSI and NBD
        services.add(new NbdService(ServiceSettings.nbd(config), new ClientExportCatalog(clients, peers, volumes,
                nbdAddressRule(config)), bus,
                errors));
    }

    /**
     * A lease proves where a client is only when Netroot itself leases the addresses; beside a router
     * (proxy) the client's own script fetch must vouch for a sighting; with no DHCP at all the admin's
     * reservations are the only word.
     */
    static ClientAddressRule nbdAddressRule(ServerConfig config) {
        // no interface: no DHCP service runs either (serve's --interface: none means DHCP off)
        if (config.dhcpMode() == DhcpMode.OFF || config.interfaces().isEmpty()) return ClientAddressRule.reservedAddressesOnly();
        return config.dhcpMode() == DhcpMode.FULL
                ? ClientAddressRule.fullDhcp(java.time.Duration.ofSeconds(config.leaseSeconds()))
                : ClientAddressRule.otherServerLeases();
    }

    /** The asset store as the planner and HTTP read it: its in-memory records and its folder. */
    static AssetCatalog catalog(AssetStore assets) {
        return new AssetCatalog() {
            @Override
            public java.util.Optional<org.netroot.server.api.Asset> byName(String name) {
                return assets.find(name);
            }

            @Override
            public java.util.List<org.netroot.server.api.Asset> all() {
                return assets.list();
            }

            @Override
            public java.nio.file.Path folder() {
                return assets.folder();
            }
        };
    }
}
