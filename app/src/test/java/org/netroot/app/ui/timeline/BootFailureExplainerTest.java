package org.netroot.app.ui.timeline;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each ERROR text the server writes (copied from server-core/src/main) gets a headline and a fix. */
class BootFailureExplainerTest {

    private static FailureExplanation explain(String detail) {
        FailureExplanation x = BootFailureExplainer.explain(detail);
        assertTrue(x.hasFix(), () -> "no fix for: " + detail + " -> " + x);
        return x;
    }

    private static void contains(String text, String part) {
        assertTrue(text.contains(part), () -> "\"" + text + "\" should contain \"" + part + "\"");
    }

    @Test
    void missingIpxeBinaryInFullAndProxyMode() {
        for (String where : new String[]{"full DHCP", "proxy", "proxy (boot server port 4011)"}) {
            FailureExplanation x = explain(where + ", no iPXE binary for BIOS in /var/lib/netroot/ipxe: put one of"
                    + " undionly.kpxe there");
            assertEquals("The firmware (BIOS) asked for undionly.kpxe and the iPXE folder /var/lib/netroot/ipxe has none",
                    x.headline());
            contains(x.fix(), "install Debian's ipxe package");
            contains(x.fix(), "--ipxe-dir");
        }
        FailureExplanation efi = explain("proxy, no iPXE binary for EFI x64 in /srv/ipxe: put one of snponly.efi,"
                + " ipxe.efi there");
        contains(efi.headline(), "asked for snponly.efi or ipxe.efi");
    }

    @Test
    void unknownArchitecture() {
        FailureExplanation x = explain("full DHCP, no iPXE binary for arch -1 (unknown; option 93: 42, option 60 Arch:"
                + " none)");
        contains(x.headline(), "no iPXE build");
        contains(x.fix(), "UEFI x64");
    }

    @Test
    void dhcpFailures() {
        FailureExplanation range = explain("full DHCP: no free address in the range on eth1");
        assertEquals("No free address in the DHCP range on eth1", range.headline());
        contains(range.fix(), "--range");
        contains(explain("client declined 192.168.7.20 (address in use on the network)").headline(),
                "192.168.7.20 already in use");
        contains(explain("DHCP ACK not sent: the lease could not be stored: disk full").headline(),
                "lease could not be stored (disk full)");
        contains(explain("DHCP REQUEST not answered: java.lang.IllegalStateException: boom").headline(),
                "could not be answered");
    }

    @Test
    void scriptForAMachineThatIsNotSetUp() {
        FailureExplanation x = explain("script requested by a machine that is not set up");
        contains(x.fix(), "adopt it in Clients");
    }

    @Test
    void chapScriptWithheld() {
        FailureExplanation never = explain("refused the script of CHAP client pc1 (it carries the secret) to 10.0.0.9:"
                + " DHCP has not seen 52:54:00:aa:bb:01 at any address yet; boot it through Netroot's DHCP (proxy or"
                + " full) so its address is known");
        contains(never.headline(), "withheld from 10.0.0.9");
        contains(never.fix(), "boot it through Netroot's DHCP");
        FailureExplanation other = explain("refused the script of CHAP client pc1 (it carries the secret) to 10.0.0.9:"
                + " DHCP last saw 52:54:00:aa:bb:01 at 10.0.0.5");
        contains(other.fix(), "another address");
    }

    @Test
    void iscsiLoginFailures() {
        contains(explain("iSCSI login from iqn.x:pc1 to unknown target iqn.2024-01.org.netroot:gone").headline(),
                "does not have: iqn.2024-01.org.netroot:gone");
        FailureExplanation initiator = explain("iSCSI initiator iqn.x:other may not log in to iqn.t:pc1: client pc1"
                + " expects initiator iqn.x:pc1");
        contains(initiator.fix(), "iqn.x:pc1");
        contains(explain("initiator iqn.x:pc1 offers AuthMethod=None, but client pc1 requires CHAP: set the CHAP user"
                + " name and secret on the initiator").headline(), "requires CHAP");
        contains(explain("initiator iqn.x:pc1 insists on AuthMethod=CHAP, but client pc1 has no CHAP secret").fix(),
                "set a CHAP secret");
        contains(explain("initiator iqn.x:pc1 insists on AuthMethod=CHAP, but discovery has no CHAP secret").headline(),
                "discovery");
        assertEquals("CHAP login refused: the secret in the client's settings is wrong",
                explain("wrong CHAP secret for client pc1").headline());
        contains(explain("wrong CHAP user name \"bob\" for client pc1").headline(), "\"bob\"");
        contains(explain("initiator iqn.x:pc1 asks for mutual CHAP, but client pc1 has no mutual CHAP secret").fix(),
                "mutual");
        for (String malformed : new String[]{"CHAP response from iqn.x:pc1 before our challenge",
                "incomplete CHAP response from iqn.x:pc1", "unreadable CHAP response for client pc1: not hex",
                "incomplete mutual CHAP challenge from iqn.x:pc1", "unreadable mutual CHAP challenge for client pc1: x",
                "mutual CHAP challenge repeats ours"}) {
            contains(explain(malformed).headline(), "malformed");
        }
    }

    @Test
    void volumeFailures() {
        FailureExplanation open = explain("could not open volume pc1 for client pc1: /data/volumes/pc1.raw (No such"
                + " file or directory)");
        contains(open.headline(), "Volume pc1 of pc1 could not be opened");
        contains(explain("volume pc1 of client pc1 is in use by iqn.x:other@10.0.0.7; refused login from iqn.x:pc1")
                .headline(), "already in use by iqn.x:other@10.0.0.7");
    }

    @Test
    void tftpFailures() {
        FailureExplanation timeout = explain("tftp undionly.kpxe: client stopped answering (gave up after 5"
                + " retransmissions)");
        contains(timeout.headline(), "stopped answering (timeout)");
        contains(timeout.headline(), "aborted");
        contains(explain("tftp undionly.kpxe: client aborted (ERROR 0 user cancelled)").headline(), "user cancelled");
        contains(explain("tftp undionly.kpxe: transfer aborted: Connection refused").headline(), "Connection refused");
        contains(explain("tftp undionly.kpxe: not found").fix(), "ipxe package");
        contains(explain("tftp pxelinux.cfg/default: not found").fix(), "--boot-files");
        contains(explain("tftp a.efi: refused: server busy").headline(), "server busy");
        contains(explain("tftp a.efi: refused: too many transfers from 10.0.0.3").headline(), "too many transfers");
        contains(explain("tftp ../etc/passwd: access violation: outside the folder").headline(), "outside the folder");
        contains(explain("tftp x: write refused (read-only server)").headline(), "upload");
        contains(explain("tftp x: unsupported mode mail").headline(), "mail");
        contains(explain("tftp x: cannot start: Permission denied").headline(), "Permission denied");
    }

    @Test
    void unknownTextsPassThroughAsTheyAre() {
        FailureExplanation x = BootFailureExplainer.explain("the flux capacitor melted");
        assertEquals("the flux capacitor melted", x.headline());
        assertFalse(x.hasFix());
    }
}
