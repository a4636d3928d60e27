package org.netroot.server.iscsi;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.netroot.server.api.Client;
import org.netroot.server.storage.OpenVolumes;
import org.netroot.server.storage.VolumeStore;
import org.netroot.server.store.ClientRepository;

/** One target per client ({@link Client#targetIqn()}), LUN 0 its volume, CHAP from its record. */
public final class ClientTargetCatalog implements TargetCatalog {
    private final ClientRepository clients;
    private final VolumeStore volumes;

    public ClientTargetCatalog(ClientRepository clients, VolumeStore volumes) {
        this.clients = clients;
        this.volumes = volumes;
    }

    @Override
    public Optional<IscsiTarget> find(String targetIqn) {
        Optional<IscsiTarget> exact = clients.byTargetIqn(targetIqn).map(ClientTargetCatalog::toTarget);
        if (exact.isPresent() || targetIqn == null) return exact;
        // IQNs compare case-insensitively (RFC 3722 stringprep lower-cases them)
        return clients.list().stream().filter(c -> c.targetIqn().equalsIgnoreCase(targetIqn)).findFirst()
                .map(ClientTargetCatalog::toTarget);
    }

    @Override
    public List<IscsiTarget> visibleTo(String initiatorIqn) {
        return clients.list().stream().map(ClientTargetCatalog::toTarget).filter(t -> t.allows(initiatorIqn)).toList();
    }

    @Override
    public OpenVolumes.Attachment attach(IscsiTarget target, OpenVolumes.User session) throws IOException {
        return volumes.openVolumes().attach(target.volumeName(), session);
    }

    static IscsiTarget toTarget(Client c) {
        IscsiTarget.Credentials chap = c.usesChap() ? new IscsiTarget.Credentials(c.chapUser(), c.chapSecret()) : null;
        IscsiTarget.Credentials mutual = c.usesMutualChap()
                ? new IscsiTarget.Credentials(c.mutualChapUser(), c.mutualChapSecret()) : null;
        return new IscsiTarget(c.targetIqn(), c.initiatorIqn(), c.name(), c.mac(), c.volumeName(), chap, mutual);
    }
}
