package org.netroot.server.iscsi;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.netroot.server.api.Client;
import org.netroot.server.storage.OpenVolumes;
import org.netroot.server.storage.VolumeStore;
import org.netroot.server.store.ClientDirectory;

/**
 * One target per client ({@link Client#targetIqn()}), LUN 0 its volume, CHAP from its record, open
 * to each of its initiator names; read from the in-memory {@link ClientDirectory}: logins run on
 * the event loop. Whether a second initiator may open the volume is the volume's (shared or not).
 */
public final class ClientTargetCatalog implements TargetCatalog {
    private final ClientDirectory clients;
    private final VolumeStore volumes;

    public ClientTargetCatalog(ClientDirectory clients, VolumeStore volumes) {
        this.clients = clients;
        this.volumes = volumes;
    }

    @Override
    public Optional<IscsiTarget> find(String targetIqn) {
        // IQNs compare case-insensitively (RFC 3722 stringprep lower-cases them): the directory does
        return clients.byTargetIqn(targetIqn).map(ClientTargetCatalog::toTarget);
    }

    @Override
    public List<IscsiTarget> visibleTo(String initiatorIqn) {
        return clients.all().stream().map(ClientTargetCatalog::toTarget).filter(t -> t.allows(initiatorIqn)).toList();
    }

    @Override
    public OpenVolumes.Attachment attach(IscsiTarget target, OpenVolumes.User session) throws IOException {
        return volumes.openVolumes().attach(target.volumeName(), session);
    }

    static IscsiTarget toTarget(Client c) {
        IscsiTarget.Credentials chap = c.usesChap() ? new IscsiTarget.Credentials(c.chapUser(), c.chapSecret()) : null;
        IscsiTarget.Credentials mutual = c.usesMutualChap()
                ? new IscsiTarget.Credentials(c.mutualChapUser(), c.mutualChapSecret()) : null;
        return new IscsiTarget(c.targetIqn(), c.initiatorIqns(), c.name(), c.mac(), c.volumeName(), chap, mutual);
    }
}
