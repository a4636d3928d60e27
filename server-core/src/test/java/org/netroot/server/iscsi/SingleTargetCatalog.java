package org.netroot.server.iscsi;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.netroot.server.storage.OpenVolumes;
import org.netroot.server.storage.RawFileBlockDevice;

/** A catalog of one target for the iSCSI tests: found by its IQN, listed to the initiators it allows. */
final class SingleTargetCatalog implements TargetCatalog {
    private final Supplier<IscsiTarget> target;
    private final OpenVolumes volumes;

    /**
     * {@code target} is asked at each login, so a test may change the target between logins;
     * {@code volumes} opens the volume sessions attach to.
     */
    SingleTargetCatalog(Supplier<IscsiTarget> target, OpenVolumes volumes) {
        this.target = target;
        this.volumes = volumes;
    }

    /** {@code target} with its volume in the raw file {@code volume}, opened read-write. */
    SingleTargetCatalog(IscsiTarget target, Path volume) {
        this(() -> target, new OpenVolumes(name -> RawFileBlockDevice.open(volume, false)));
    }

    @Override
    public Optional<IscsiTarget> find(String iqn) {
        IscsiTarget t = target.get();
        return iqn.equalsIgnoreCase(t.iqn()) ? Optional.of(t) : Optional.empty();
    }

    @Override
    public List<IscsiTarget> visibleTo(String initiator) {
        IscsiTarget t = target.get();
        return t.allows(initiator) ? List.of(t) : List.of();
    }

    @Override
    public OpenVolumes.Attachment attach(IscsiTarget t, OpenVolumes.User session) throws IOException {
        return volumes.attach(t.volumeName(), session);
    }
}
