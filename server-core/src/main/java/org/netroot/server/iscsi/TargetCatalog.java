package org.netroot.server.iscsi;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.netroot.server.storage.BlockDevice;

/** The targets the iSCSI service exports. Called on logins and discovery, never per command. */
public interface TargetCatalog {
    Optional<IscsiTarget> find(String targetIqn);

    /** The targets an initiator may log in to: what SendTargets=All lists for it. */
    List<IscsiTarget> visibleTo(String initiatorIqn);

    /** Opens LUN 0 of the target for one session; the session closes it. */
    BlockDevice open(IscsiTarget target) throws IOException;
}
