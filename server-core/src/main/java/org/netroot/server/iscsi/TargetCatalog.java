package org.netroot.server.iscsi;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.netroot.server.storage.OpenVolumes;

/** The targets the iSCSI service exports. Called on logins and discovery, never per command. */
public interface TargetCatalog {
    Optional<IscsiTarget> find(String targetIqn);

    /** The targets an initiator may log in to: what SendTargets=All lists for it. */
    List<IscsiTarget> visibleTo(String initiatorIqn);

    /**
     * Attaches a session to LUN 0's volume under the one-writer rule; the session releases the
     * handle when it ends. Throws when the volume cannot be opened.
     */
    OpenVolumes.Attachment attach(IscsiTarget target, OpenVolumes.User session) throws IOException;
}
