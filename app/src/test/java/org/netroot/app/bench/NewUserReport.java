package org.netroot.app.bench;

import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What {@link NewUserPath} measured, in words: the counts against the target, the times, the
 * labelled steps. Plain text for the console, Markdown for docs/benchmarks.md. Times missing when
 * the path stopped short; then {@code failure} says where.
 */
record NewUserReport(List<CountingRobot.Step> steps, int target, Instant opened, Instant poweredOn,
                     Instant discovered, Instant unknownScript, Instant adopted, BootEvent script, BootEvent login, BootEvent firstRead,
                     List<BootEvent> timeline,
                     List<String> notes, String failure, Path work) {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

    long clicks() {
        return steps.stream().filter(s -> s.kind() == CountingRobot.Kind.CLICK).count();
    }

    long keys() {
        return steps.stream().filter(s -> s.kind() == CountingRobot.Kind.KEY).count();
    }

    long texts() {
        return steps.stream().filter(s -> s.kind() == CountingRobot.Kind.TYPE).count();
    }

    /** A new machine's card follows its first DISCOVER within this (issue 11); the robot looks every 20 ms. */
    static final Duration CARD_TARGET = Duration.ofSeconds(1);

    /** The PC's first DHCP DISCOVER as the timeline got it; null when none came. */
    BootEvent firstDiscover() {
        return timeline.stream().filter(e -> e.type() == BootEventType.DHCP_DISCOVER)
                .min(java.util.Comparator.comparing(BootEvent::at)).orElse(null);
    }

    String cardVerdict() {
        if (firstDiscover() == null || discovered == null) return "not reached";
        return Duration.between(firstDiscover().at(), discovered).compareTo(CARD_TARGET) <= 0 ? "met" : "missed";
    }

    String verdict() {
        if (failure != null) return "not reached";
        return steps.size() <= target ? "met" : "missed";
    }

    String text() {
        StringBuilder s = new StringBuilder("new user path:\n");
        for (int i = 0; i < steps.size(); i++) {
            var st = steps.get(i);
            s.append(String.format("  %2d. %-5s %s [%s]%n", i + 1, st.kind().name().toLowerCase(), st.label(), st.what()));
        }
        s.append(String.format("clicks %d, keystrokes %d, typed texts %d: %d interactions (target <= %d: %s)%n",
                clicks(), keys(), texts(), steps.size(), target, verdict()));
        s.append("power-on to discovered card: ").append(seconds(poweredOn, discovered)).append('\n');
        s.append("first DHCP DISCOVER to discovered card: ").append(seconds(at(firstDiscover()), discovered))
                .append(" (target <= ").append(seconds(Instant.EPOCH, Instant.EPOCH.plus(CARD_TARGET))).append(": ")
                .append(cardVerdict()).append(")\n");
        s.append("power-on to the unknown-machine script: ").append(seconds(poweredOn, unknownScript)).append('\n');
        s.append("adopt to boot script: ").append(seconds(adopted, at(script))).append('\n');
        s.append("adopt to iSCSI login: ").append(seconds(adopted, at(login))).append('\n');
        s.append("adopt to first read: ").append(seconds(adopted, at(firstRead))).append('\n');
        s.append("app opened to first read: ").append(seconds(opened, at(firstRead))).append('\n');
        notes.forEach(n -> s.append("note: ").append(n).append('\n'));
        s.append(timelineText());
        if (failure != null) s.append("NOT REACHED: ").append(failure).append('\n');
        return s.toString();
    }

    String markdown(String commit) {
        StringBuilder s = new StringBuilder();
        s.append("## New user path: empty data folder to a PC booting its own volume\n\n");
        s.append("`bench/new-user.sh` on ").append(DATE.format(opened == null ? Instant.now() : opened))
                .append(" UTC, commit `").append(commit).append("`: the app opened as `netroot app` opens it (the\n")
                .append("in-process server starter, the first-run wizard offered on an empty data folder), driven by a TestFX\n")
                .append("robot that counts each click, each key press or shortcut, and each typed text (a name counts once),\n")
                .append("under Xvfb in a network namespace with bridge br0 and a tap; the PC is QEMU (BIOS, e1000 iPXE ROM,\n")
                .append("no disk) on the tap, powered on after the wizard. \"Booting its own volume\" is measured as the PC's\n")
                .append("iSCSI login and first read of the blank volume made at adoption: a blank volume holds no OS, so the\n")
                .append("boot goes no further than that read. The lab gives br0 a veth port as the rest of the LAN (a bridge\n")
                .append("whose only port is the tap of a PC still off has no carrier, and the wizard's probe would rightly call\n")
                .append("it down); the namespace, bridge and tap are the lab's cabling, made before the app opens, not steps\n")
                .append("of the path. The robot clicks Adopt once the PC asked for its script while not set up, as a person\n")
                .append("reading the card would (adopting at once, it beats a QEMU PC to its first script): the PC then runs\n")
                .append("the unknown-machine script, which sleeps 10 s and asks again; the first ask after Adopt gets the\n")
                .append("sanboot script, so up to 10 s of the adopt-to-login time is that wait.\n\n");
        s.append("| Measure | Result | Target | |\n|---|---|---|---|\n");
        s.append("| Interactions (clicks + keystrokes + typed texts) | ").append(steps.size()).append(" (")
                .append(clicks()).append(" + ").append(keys()).append(" + ").append(texts()).append(") | ≤ ")
                .append(target).append(" | ").append(verdict()).append(" |\n");
        s.append("| Terminal commands or files edited on the path | none (the robot only drives the app's windows) | none | met |\n");
        s.append("| PC powered on to its discovered card | ").append(seconds(poweredOn, discovered)).append(" | | |\n");
        s.append("| The PC's first DHCP DISCOVER (the server's event time) to its discovered card in Clients | ")
                .append(seconds(at(firstDiscover()), discovered)).append(" | ≤ ")
                .append(seconds(Instant.EPOCH, Instant.EPOCH.plus(CARD_TARGET))).append(" | ").append(cardVerdict())
                .append(" |\n");
        s.append("| PC powered on to its first ask for a script, as a machine not set up (the robot adopts only then) | ")
                .append(seconds(poweredOn, unknownScript)).append(" | | |\n");
        s.append("| Adopt to the PC's next boot script (iPXE's retry of the unknown-machine script, every 10 s) | ")
                .append(seconds(adopted, at(script))).append(" | | |\n");
        s.append("| Adopt to the PC's iSCSI login | ").append(seconds(adopted, at(login))).append(" | | |\n");
        s.append("| Adopt to the first read of its own volume | ").append(seconds(adopted, at(firstRead))).append(" | | |\n");
        s.append("| App opened to that first read (robot speed; QEMU tcg) | ").append(seconds(opened, at(firstRead)))
                .append(" | | |\n\n");
        if (failure != null) s.append("**Not reached:** ").append(failure).append("\n\n");
        s.append("The steps:\n\n");
        for (int i = 0; i < steps.size(); i++) {
            var st = steps.get(i);
            s.append(i + 1).append(". ").append(st.kind().name().toLowerCase()).append(": ").append(st.label())
                    .append(" (`").append(st.what()).append("`)\n");
        }
        if (!timeline.isEmpty()) {
            s.append("\nThe PC's boot events as the app's timeline got them (seconds after power-on; Adopt confirmed at ")
                    .append(seconds(poweredOn, adopted)).append("):\n\n```\n").append(timelineText()).append("```\n");
        }
        s.append("\nWhat the app said on the way:\n\n");
        for (String n : notes) {
            if (n.startsWith("QEMU logs")) continue;
            s.append("- ").append(n.replace(work.toString(), "$WORK")).append('\n');
        }
        return s.toString();
    }

    /** One line per boot event of the PC: seconds after power-on, type, detail. */
    private String timelineText() {
        StringBuilder s = new StringBuilder();
        for (BootEvent e : timeline) {
            s.append(String.format("%7s  %-16s %s%n", seconds(poweredOn, e.at()), e.type(),
                    e.detail() == null ? "" : e.detail()));
        }
        return s.toString();
    }

    private static Instant at(BootEvent e) {
        return e == null ? null : e.at();
    }

    private static String seconds(Instant from, Instant to) {
        if (from == null || to == null) return "-";
        return String.format("%.1f s", Duration.between(from, to).toMillis() / 1000.0);
    }
}
