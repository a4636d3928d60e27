package org.netroot.server.bench;

import java.nio.file.Path;
import java.util.Locale;
import org.netroot.server.api.Client;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;

/**
 * Set-up for bench/iscsi.sh (not a unit test): adds clients PREFIX0..PREFIX(COUNT-1), all booting one
 * (shared) volume, through one control-API connection to the running server of a data folder. One
 * `netroot client add` per client starts a JVM each, about a second; this adds 150 in a fraction of that.
 * MACs are 02:6e:76:MM:hi:lo with MM the given byte, so two calls with different bytes do not collide.
 *
 * <pre>
 *   ClientsOfOneVolume DATA_DIR VOLUME COUNT NAME_PREFIX MAC_BYTE
 * </pre>
 */
public final class ClientsOfOneVolume {
    public static void main(String[] args) {
        if (args.length < 5) {
            System.err.println("usage: ClientsOfOneVolume DATA_DIR VOLUME COUNT NAME_PREFIX MAC_BYTE");
            System.exit(2);
        }
        String volume = args[1];
        int count = Integer.parseInt(args[2]);
        int macByte = Integer.parseInt(args[4]);
        long start = System.nanoTime();
        try (NetrootControl control = Netroot.attach(Path.of(args[0]))) {
            for (int i = 0; i < count; i++) {
                String mac = String.format(Locale.ROOT, "02:6e:76:%02x:%02x:%02x", macByte, i >> 8, i & 0xff);
                control.addClient(Client.sanboot(args[3] + i, mac, volume));
            }
        }
        System.out.printf(Locale.ROOT, "added %d clients of %s in %.0f ms%n", count, volume, (System.nanoTime() - start) / 1e6);
    }
}
