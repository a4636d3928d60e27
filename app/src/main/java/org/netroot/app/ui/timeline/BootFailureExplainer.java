package org.netroot.app.ui.timeline;

import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the server's ERROR event texts (dhcp/, http/BootRoutes, iscsi/Login, iscsi/IscsiConnection,
 * tftp/TftpService) into a headline and the fix. A text no rule knows passes through as it is.
 */
public final class BootFailureExplainer {
    private static final String IPXE_FIX = "install Debian's ipxe package (apt install ipxe) or set --ipxe-dir"
            + " to a folder that has it";
    private static final String MALFORMED_CHAP_FIX = "the initiator sent a broken CHAP exchange: update its iPXE"
            + " (or the network card's firmware); the client's settings are not the cause";
    private static final List<Rule> RULES = List.of(
            rule("no iPXE binary for (.+?) in (.+?): put one of (.+) there$", m -> new FailureExplanation(
                    "The firmware (" + m.group(1) + ") asked for " + orList(m.group(3)) + " and the iPXE folder "
                            + m.group(2) + " has none", IPXE_FIX)),
            rule("no iPXE binary for (arch .+)$", m -> new FailureExplanation(
                    "The firmware's architecture has no iPXE build: " + m.group(1),
                    "switch the machine's firmware to legacy BIOS or UEFI x64 network boot")),
            rule("^full DHCP: no free address in the range on (\\S+)", m -> new FailureExplanation(
                    "No free address in the DHCP range on " + m.group(1),
                    "widen the range (--range START-END), shorten --lease-seconds, or remove machines that no"
                            + " longer boot")),
            rule("^client declined (\\S+) \\(address in use", m -> new FailureExplanation(
                    "The client found " + m.group(1) + " already in use on the network",
                    "another machine has that address: give it a static address outside the range (Netroot offers"
                            + " this client a different address next time)")),
            rule("^DHCP (\\w+) not sent: the lease could not be stored: (.*)$", m -> new FailureExplanation(
                    "No DHCP " + m.group(1) + " was sent: the lease could not be stored (" + m.group(2) + ")",
                    "check the data folder's disk (full or read-only?) and the server log")),
            rule("^DHCP (\\w+) not answered: (.*)$", m -> new FailureExplanation(
                    "The DHCP " + m.group(1) + " could not be answered (" + m.group(2) + ")",
                    "see the server log for the cause; the client's next request is answered normally")),
            rule("^script requested by a machine that is not set up", m -> new FailureExplanation(
                    "A machine that is not set up asked for its boot script",
                    "adopt it in Clients (it is listed as discovered): give it a name and a volume")),
            rule("^refused the script of CHAP client (\\S+) \\(it carries the secret\\) to (\\S+): (.*)$",
                    BootFailureExplainer::scriptWithheld),
            rule("^iSCSI login from (\\S+) to unknown target (\\S+)", m -> new FailureExplanation(
                    "Login to a target Netroot does not have: " + m.group(2),
                    "the machine uses an old boot script or firmware setting: boot it again through Netroot so it"
                            + " fetches its current script, and check the client's volume in Clients")),
            rule("^iSCSI initiator (\\S+) may not log in to (\\S+): client (\\S+) expects initiator (\\S+)",
                    m -> new FailureExplanation(
                            "Initiator " + m.group(1) + " is not allowed on the volume of " + m.group(3),
                            "set the initiator name in " + m.group(3) + "'s settings to " + m.group(1)
                                    + ", or set the machine's initiator name to " + m.group(4))),
            rule("^initiator (\\S+) offers AuthMethod=(\\S+), but client (\\S+) requires CHAP",
                    m -> new FailureExplanation("CHAP login refused: " + m.group(3) + " requires CHAP and the"
                            + " initiator offered " + m.group(2),
                            "set the CHAP user name and secret on the initiator (the boot script carries them: boot"
                                    + " it again through Netroot)")),
            rule("^initiator (\\S+) insists on AuthMethod=(\\S+), but (.+) has no CHAP secret",
                    m -> new FailureExplanation("CHAP login refused: the initiator insists on CHAP but " + m.group(3)
                            + " has no CHAP secret",
                            "set a CHAP secret in the client's settings, or turn CHAP off on the initiator")),
            rule("^wrong CHAP secret for client (\\S+)", m -> new FailureExplanation(
                    "CHAP login refused: the secret in the client's settings is wrong",
                    "the secret " + m.group(1) + " sent does not match its settings: set the same secret in the"
                            + " client's settings and on the machine (or boot it again through Netroot)")),
            rule("^wrong CHAP user name \"(.*)\" for client (\\S+)", m -> new FailureExplanation(
                    "CHAP login refused: wrong user name \"" + m.group(1) + "\" for " + m.group(2),
                    "use the CHAP user name from " + m.group(2) + "'s settings on the machine")),
            rule("^initiator (\\S+) asks for mutual CHAP, but client (\\S+) has no mutual CHAP secret",
                    m -> new FailureExplanation("Mutual CHAP refused: " + m.group(2) + " has no mutual CHAP secret",
                            "set a mutual (target) secret in the client's settings, or turn mutual CHAP off on"
                                    + " the initiator")),
            rule("^(incomplete|unreadable) (mutual )?CHAP (response|challenge)|^CHAP response from \\S+ before"
                    + "|^mutual CHAP challenge repeats ours", m -> new FailureExplanation(
                    "CHAP login refused: the initiator's CHAP exchange was malformed", MALFORMED_CHAP_FIX)),
            rule("^could not open volume (\\S+) for client (\\S+): (.*)$", m -> new FailureExplanation(
                    "Volume " + m.group(1) + " of " + m.group(2) + " could not be opened (" + m.group(3) + ")",
                    "check in Volumes that the volume exists and its file in the data folder is readable")),
            rule("^volume (\\S+) of client (\\S+) is in use by (.+); refused login from (\\S+)",
                    m -> new FailureExplanation("Volume " + m.group(1) + " is already in use by " + m.group(3),
                            "one machine at a time may use a volume: shut down the other one, or give "
                                    + m.group(2) + " its own volume")),
            rule("^tftp (\\S+): client stopped answering", m -> new FailureExplanation(
                    "TFTP transfer of " + m.group(1) + " aborted: the client stopped answering (timeout)",
                    "check the cable and switch between client and server; a firewall or another TFTP server on"
                            + " the network can also cause this")),
            rule("^tftp (\\S+): client aborted \\(ERROR (.*)\\)$", m -> new FailureExplanation(
                    "The client aborted the TFTP transfer of " + m.group(1) + " (" + m.group(2) + ")",
                    "boot it again; if it repeats, update the network card's firmware or try HTTP boot")),
            rule("^tftp (\\S+): transfer aborted: (.*)$", m -> new FailureExplanation(
                    "TFTP transfer of " + m.group(1) + " aborted (" + m.group(2) + ")",
                    "boot the client again; if it repeats, check the network between client and server")),
            rule("^tftp (\\S+): not found$", BootFailureExplainer::tftpNotFound),
            rule("^tftp (\\S+): refused: (server busy|too many transfers.*)$", m -> new FailureExplanation(
                    "TFTP request for " + m.group(1) + " refused: " + m.group(2),
                    "the client retries by itself; boot fewer machines at once if it keeps failing")),
            rule("^tftp (\\S+): access violation: (.*)$", m -> new FailureExplanation(
                    "TFTP request for " + m.group(1) + " refused: " + m.group(2),
                    "only files inside the boot folders are served: check the boot file name")),
            rule("^tftp (\\S+): write refused", m -> new FailureExplanation(
                    "The client tried to upload " + m.group(1) + " over TFTP",
                    "Netroot's TFTP only serves files; nothing to fix on the server")),
            rule("^tftp (\\S+): unsupported mode (.*)$", m -> new FailureExplanation(
                    "TFTP request for " + m.group(1) + " in unsupported mode " + m.group(2),
                    "the client must ask in octet mode: update its firmware")),
            rule("^tftp (\\S+): cannot start: (.*)$", m -> new FailureExplanation(
                    "Could not read " + m.group(1) + " for TFTP (" + m.group(2) + ")",
                    "check that the file is readable by the server (permissions, disk)")));

    private BootFailureExplainer() {
    }

    /** The headline and fix for an ERROR event's detail; an unknown text is the headline as it is. */
    public static FailureExplanation explain(String detail) {
        if (detail == null || detail.isBlank()) return new FailureExplanation("The step failed (no reason given)", "");
        for (Rule r : RULES) {
            Matcher m = r.pattern().matcher(detail);
            if (m.find()) return r.explain().apply(m);
        }
        return new FailureExplanation(detail, "");
    }

    private static FailureExplanation scriptWithheld(Matcher m) {
        String why = m.group(3);
        int advice = why.indexOf("; ");
        String fix = advice >= 0 ? why.substring(advice + 2)
                : "the request came from another address than DHCP gave this machine: boot it again through"
                + " Netroot's DHCP, and check that no other machine uses its MAC";
        return new FailureExplanation("The boot script of " + m.group(1) + " was withheld from " + m.group(2)
                + " (it carries the CHAP secret): " + (advice >= 0 ? why.substring(0, advice) : why), fix);
    }

    private static FailureExplanation tftpNotFound(Matcher m) {
        String file = m.group(1);
        boolean ipxe = file.endsWith(".kpxe") || file.endsWith(".efi") || file.endsWith(".pxe");
        return new FailureExplanation("The client asked for " + file + " and the boot folders have none",
                ipxe ? IPXE_FIX : "put the file in the boot files folder (--boot-files) or correct its name");
    }

    private static String orList(String commaList) {
        String[] names = commaList.split(", ");
        if (names.length == 1) return names[0];
        return String.join(", ", List.of(names).subList(0, names.length - 1)) + " or " + names[names.length - 1];
    }

    private static Rule rule(String regex, Function<Matcher, FailureExplanation> explain) {
        return new Rule(Pattern.compile(regex), explain);
    }

    private record Rule(Pattern pattern, Function<Matcher, FailureExplanation> explain) {
    }
}
