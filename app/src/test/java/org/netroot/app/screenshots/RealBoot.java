package org.netroot.app.screenshots;

import org.netroot.app.testing.QemuPc;
import org.netroot.server.dhcp.DhcpMode;
import org.netroot.server.runtime.ServerConfig;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * A real diskless PC for the screenshots: QEMU with SeaBIOS and the e1000's iPXE ROM on a tap device
 * of a bridge the server serves in full DHCP mode. scripts/screenshots.sh builds the network
 * namespace (bridge {@value #BRIDGE} at {@value #SERVER_ADDRESS}/24 with {@value #TAP}) and runs the
 * tour inside it when it runs as root with QEMU installed; the tour asks for it with
 * {@code -Dnetroot.tour.qemu=true}. The PC boots its (blank) volume far enough to show every phase
 * up to the first iSCSI read.
 */
final class RealBoot {
    static final String BRIDGE = "br0";
    static final String TAP = "tap0";
    static final String SERVER_ADDRESS = "198.18.77.1";

    private RealBoot() {
    }

    static boolean wanted() {
        return Boolean.getBoolean("netroot.tour.qemu");
    }

    /** The server for the lab segment: DHCP (full) on the bridge, the standard boot ports, control on any port. */
    static ServerConfig serverConfig(Path dataDir) throws IOException {
        return new ServerConfig(dataDir, List.of(BRIDGE), DhcpMode.FULL, address("198.18.77.100"),
                address("198.18.77.199"), null, 67, 4011, 69, 80, 3260, 0, Path.of("/usr/lib/ipxe"), null, 3600);
    }

    /** Powers on a BIOS PC with {@code mac} on the tap; its serial and QEMU's output go to {@code logDir}. */
    static QemuPc powerOn(String mac, Path logDir) throws IOException {
        return QemuPc.powerOn(mac, TAP, logDir);
    }

    private static Inet4Address address(String text) throws IOException {
        return (Inet4Address) InetAddress.getByName(text);
    }
}
