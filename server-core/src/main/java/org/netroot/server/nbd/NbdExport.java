package org.netroot.server.nbd;

/**
 * A volume as NBD offers it: exported under the volume's own name, to the client {@code clientName}
 * (MAC {@code mac}, which tags its boot events). {@code readOnly}: a golden image; {@code shared}:
 * several users may have it open at once (a cluster disk).
 */
public record NbdExport(String name, String clientName, String mac, long sizeBytes, boolean readOnly, boolean shared) {
    /** "volume pc1-disk of client pc1", for messages. */
    public String describe() {
        return "volume " + name + " of client " + clientName;
    }
}
