package org.netroot.server.nbd;

import java.io.IOException;
import java.net.InetAddress;
import java.util.List;
import org.netroot.server.storage.OpenVolumes;

/**
 * The exports the NBD service offers and who may use them. Asked during handshakes only, never per
 * request, and from the service's disk threads (an implementation may read the database).
 */
public interface ExportCatalog {
    /** The exports {@code peer} may use: what NBD_OPT_LIST shows it, and nothing more. */
    List<NbdExport> visibleTo(InetAddress peer);

    /** The export {@code name} asks for, as {@code peer} may (or may not) use it; "" names the peer's default export. */
    Lookup find(String name, InetAddress peer);

    /**
     * Attaches {@code user} to the export's volume under the one-writer rule the iSCSI target shares;
     * the user releases the handle when its connection ends. Throws when the volume cannot be opened.
     */
    OpenVolumes.Attachment attach(NbdExport export, OpenVolumes.User user) throws IOException;

    /**
     * A connection from {@code peer} is using {@code export} (every few minutes while it does, and at its
     * end): what it proves of the peer may be renewed, so a root disk in use for days may reconnect.
     */
    default void used(NbdExport export, InetAddress peer) {
    }

    /** The answer to {@link #find}. */
    enum Status { FOUND, UNKNOWN, REFUSED }

    /**
     * {@code export} is set when FOUND; {@code reason} says, in words the user can act on, why not
     * otherwise; {@code mac} is the MAC whose timeline a refusal belongs on (null: none known).
     */
    record Lookup(Status status, NbdExport export, String reason, String mac) {
        public static Lookup found(NbdExport export) {
            return new Lookup(Status.FOUND, export, null, export.mac());
        }

        public static Lookup unknown(String reason, String mac) {
            return new Lookup(Status.UNKNOWN, null, reason, mac);
        }

        public static Lookup refused(String reason, String mac) {
            return new Lookup(Status.REFUSED, null, reason, mac);
        }
    }
}
