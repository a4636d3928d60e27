package org.netroot.server.service;

import org.netroot.server.dhcp.DhcpService;
import org.netroot.server.dhcp.DhcpSettings;
import org.netroot.server.events.BootEventBus;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.iscsi.ClientTargetCatalog;
import org.netroot.server.iscsi.IscsiService;
import org.netroot.server.iscsi.IscsiSettings;
import org.netroot.server.tftp.TftpService;
import org.netroot.server.tftp.TftpSettings;
import org.netroot.server.http.HttpService;
import org.netroot.server.http.HttpSettings;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.LeaseRepository;
import org.netroot.server.storage.VolumeStore;

/** Builds the protocol services from the configuration: the one place that knows all of them. */
final class ServiceWiring {
    private ServiceWiring() {
    }

    static void addServices(ServiceManager services, ServerConfig config, Database db, ClientRepository clients,
                            LeaseRepository leases, VolumeStore volumes, BootEventBus bus, PeerDirectory peers,
                            InputErrors errors) {
        if (config.dhcpMode() != ServerConfig.DhcpMode.OFF && !config.interfaces().isEmpty()) {
            services.add(new DhcpService(DhcpSettings.from(config), clients, leases, bus, peers, errors));
        }
        services.add(new TftpService(TftpSettings.from(config), bus, peers, errors));
        services.add(new HttpService(HttpSettings.from(config), clients, bus, peers, errors));
        services.add(new IscsiService(IscsiSettings.from(config), new ClientTargetCatalog(clients, volumes), bus, peers,
                errors));
    }
}
