package org.netroot.app.ui.clients;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.netroot.app.ui.common.Formats;
import org.netroot.server.api.Client;
import org.netroot.server.api.ClientActivity;
import org.netroot.server.api.Volume;
import org.netroot.server.api.VolumeActivity;

/**
 * One client's card as words: the client joined with what it does now, its volume and that
 * volume's I/O. {@code activity}, {@code volume} and {@code io} may be null (not seen, none, idle).
 */
public record ClientCard(Client client, ClientActivity activity, Volume volume, VolumeActivity io) implements Card {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss", Locale.ROOT);
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("MMM d, HH:mm", Locale.ENGLISH);

    public String name() {
        return client.name();
    }

    public ClientActivity.State state() {
        return activity == null ? ClientActivity.State.OFFLINE : activity.state();
    }

    /** "offline", "booting", "online", "booted", "failed". */
    public String stateWords() {
        return state().name().toLowerCase(Locale.ROOT);
    }

    /** What the state badge means, for its tooltip. */
    public String stateTip() {
        return switch (state()) {
            case OFFLINE -> "Not seen since the server started, or its disk session ended";
            case BOOTING -> "Network boot under way: DHCP, boot file, script or disk login";
            case ONLINE -> "Running from its volume on this server";
            case BOOTED -> "Started without its volume (RAM disk, local disk or a kernel with its root elsewhere):"
                    + " it needs nothing more from this server, which so cannot tell whether it still runs";
            case FAILED -> "The latest boot failed a step: see below";
        };
    }

    public String firmware() {
        return activity == null || activity.firmware() == null ? "not seen yet" : activity.firmware();
    }

    public String ip() {
        if (activity != null && activity.ip() != null) return activity.ip();
        return client.reservedIp() != null ? client.reservedIp() + " (reserved)" : "-";
    }

    /** The latest failure in words, null unless FAILED. */
    public String error() {
        return state() == ClientActivity.State.FAILED ? activity.lastError() : null;
    }

    /**
     * The mode in the command line's word, with the assets it boots: "kernel vmlinuz + initrd.img",
     * "install debian.iso", "sanboot, CHAP".
     */
    public String bootMode() {
        String assets = String.join(" + ", bootAssets());
        return client.bootMode().id() + (assets.isEmpty() ? "" : " " + assets) + (client.chap() ? ", CHAP" : "");
    }

    /** The mode's sentence, then its assets: the card's line may be cut, this is all of it. */
    public String bootTip() {
        List<String> assets = bootAssets();
        return BootModeLook.sentence(client.bootMode()) + (assets.isEmpty() ? "" : ": " + String.join(", ", assets));
    }

    /** The assets the mode boots (a menu's are on its menu, not named on the card). */
    private List<String> bootAssets() {
        return switch (client.bootMode()) {
            case KERNEL, RAMDISK, INSTALL -> client.boot().assetsFor(client.bootMode());
            case SANBOOT, MENU, LOCAL, IGNORE -> List.of();
        };
    }

    /**
     * The initiator names that may log in to its target, the one iPXE presents first, one a line: the
     * card has room for two lines, so a third and more are counted on the second ("(+2 more)").
     */
    public String initiatorsText() {
        List<String> all = client.initiatorIqns();
        if (all.size() <= 2) return String.join("\n", all);
        return all.get(0) + "\n" + all.get(1) + " (+" + (all.size() - 2) + " more)";
    }

    /** Every initiator name, for the tooltip: the card may cut or count them. */
    public String initiatorsTip() {
        List<String> all = client.initiatorIqns();
        return "Initiator names that may log in (iPXE uses the first):\n" + String.join("\n", all);
    }

    public String volumeText() {
        if (client.volumeName() == null) return "no volume";
        if (volume == null) return client.volumeName() + " (missing)";
        String name = volume.name() + (volume.shared() ? " (shared)" : "");
        if (volume.allocatedBytes() < 0) return name + ": " + Formats.bytes(volume.sizeBytes());
        return name + ": " + Formats.bytes(volume.allocatedBytes()) + " used of " + Formats.bytes(volume.sizeBytes());
    }

    public String ioText() {
        if (io == null) return "idle";
        return "read " + Formats.rate(io.readBytesPerSecond()) + ", write " + Formats.rate(io.writeBytesPerSecond());
    }

    /** "10:04:12, took 12.3 s", "Nov 30, 10:04, booting", or "never since the server started". */
    public String lastBootText(ZoneId zone, LocalDate today) {
        Instant started = activity == null ? null : activity.bootStarted();
        if (started == null) return "never since the server started";
        var local = started.atZone(zone);
        String when = local.toLocalDate().equals(today) ? TIME.format(local) : DAY_TIME.format(local);
        Instant finished = activity.bootFinished();
        if (finished != null) return when + ", took " + Formats.duration(Duration.between(started, finished));
        return when + (state() == ClientActivity.State.BOOTING ? ", booting" : ", did not finish");
    }
}
