package org.netroot.app.ui.timeline;

import org.netroot.app.ui.common.Formats;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;

import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** An event's details as the tooltip and the details panel show them; a failed step adds its fix. */
public final class EventText {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private EventText() {
    }

    public static String typeLabel(BootEventType type) {
        return switch (type) {
            case DHCP_DISCOVER -> "DHCP discover";
            case DHCP_OFFER -> "DHCP offer";
            case DHCP_REQUEST -> "DHCP request";
            case DHCP_ACK -> "DHCP ack";
            case DHCP_NAK -> "DHCP nak (refused)";
            case PROXY_OFFER -> "Proxy DHCP offer";
            case PROXY_ACK -> "Proxy DHCP ack";
            case TFTP_PROBE -> "Boot file size probed";
            case BOOT_FILE_SENT -> "Boot file sent";
            case SCRIPT_SERVED -> "Boot script served";
            case ISCSI_LOGIN -> "iSCSI login";
            case ISCSI_FIRST_READ -> "First read";
            case ISCSI_LOGOUT -> "iSCSI logout";
            case IGNORED -> "Ignored on purpose";
            case BOOT_MODE_CHANGED -> "Boot mode changed";
            case NBD_CONNECT -> "NBD connected";
            case NBD_REFUSED -> "NBD refused";
            case NBD_DISCONNECT -> "NBD disconnected";
            case HANDED_OVER -> "Handed over";
            case ISCSI_RESET -> "iSCSI reset";
            case ERROR -> "Failed step";
        };
    }

    /** One line about the bar an event belongs to: its phase and how long it ran (or runs). */
    public static String phaseLine(PhaseBar bar, long nowMs) {
        long took = bar.endMs(nowMs) - bar.startMs();
        return bar.phase().label() + (bar.open() ? ", running for " : took > 0 ? ", " : "")
                + (bar.open() || took > 0 ? Formats.duration(Duration.ofMillis(took)) : "");
    }

    /** The headline: for a failure its reason in words, else the kind of step. */
    public static String headline(BootEvent e) {
        if (e.type() == BootEventType.ERROR) return BootFailureExplainer.explain(e.detail()).headline();
        return typeLabel(e.type());
    }

    /** Several lines: what, when, who, the server's detail, bytes and duration, and for a failure the fix. */
    public static String describe(BootEvent e, ZoneId zone) {
        return describe(e, zone, true);
    }

    /** As {@link #describe(BootEvent, ZoneId)}; without the failure's headline and fix when shown elsewhere. */
    public static String describe(BootEvent e, ZoneId zone, boolean explainFailure) {
        StringBuilder s = new StringBuilder();
        s.append(typeLabel(e.type())).append('\n');
        s.append("At: ").append(TIME.withZone(zone).format(e.at())).append('\n');
        if (e.clientName() != null) s.append("Client: ").append(e.clientName()).append('\n');
        if (e.mac() != null) s.append("MAC: ").append(e.mac()).append('\n');
        if (e.type() == BootEventType.ERROR && !explainFailure) {
            if (e.detail() != null) s.append("Server said: ").append(e.detail()).append('\n');
        } else if (e.type() == BootEventType.ERROR) {
            FailureExplanation x = BootFailureExplainer.explain(e.detail());
            s.append("What went wrong: ").append(x.headline()).append('\n');
            if (x.hasFix()) s.append("Fix: ").append(x.fix()).append('\n');
            if (e.detail() != null && !e.detail().equals(x.headline())) s.append("Server said: ").append(e.detail()).append('\n');
        } else if (e.detail() != null && !e.detail().isBlank()) {
            s.append("Detail: ").append(e.detail()).append('\n');
        }
        if (e.bytes() != null) s.append("Bytes: ").append(Formats.bytes(e.bytes())).append('\n');
        if (e.durationMs() != null) s.append("Took: ").append(Formats.duration(Duration.ofMillis(e.durationMs()))).append('\n');
        return s.toString().stripTrailing();
    }
}
