package org.netroot.server.scsi;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The initiator end of an I_T nexus (SAM-5 §4.6): what persistent reservations are held by and
 * unit attentions are meant for. An iSCSI initiator port is its initiator name plus the session's
 * ISID, so one machine with two sessions is two ports (RFC 7143 §10.1.1); names compare
 * case-insensitively (RFC 3722), so they are kept lower-case.
 */
public record InitiatorPort(String name, long isid) {
    /** The port of a logical unit used without a transport (tests, tools). */
    public static final InitiatorPort LOCAL = new InitiatorPort("local", 0);

    public InitiatorPort {
        name = name.toLowerCase(Locale.ROOT);
        isid &= 0xffff_ffff_ffffL;
    }

    /**
     * The iSCSI TransportID of this port (SPC-4 §7.6.4.6, format 01b): protocol identifier 5,
     * then "name,i,0x" and the ISID in hex, NUL-terminated and padded to a multiple of 4 bytes.
     * READ FULL STATUS names each registrant with it.
     */
    byte[] transportId() {
        byte[] text = (name + ",i,0x" + String.format("%012x", isid)).getBytes(StandardCharsets.UTF_8);
        int length = (text.length + 1 + 3) & ~3;
        byte[] id = new byte[4 + length];
        id[0] = 0x40 | 0x05;
        Bytes.put16(id, 2, length);
        System.arraycopy(text, 0, id, 4, text.length);
        return id;
    }

    @Override
    public String toString() {
        return name + ",i,0x" + String.format("%012x", isid);
    }
}
