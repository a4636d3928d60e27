package org.netroot.app.ui.timeline;

import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The boot events of one client (or one MAC) and the phase bars they make, built incrementally as
 * events arrive. Bars are kept sorted by start, so the painter finds the visible ones by binary search.
 */
public final class Lane {
    /** DHCP messages this close together belong to one exchange; a boot file this close to its probe, too. */
    static final long SAME_STEP_MS = 30_000;

    private final String key;
    private final String label;
    private final List<BootEvent> events = new ArrayList<>();
    private final List<PhaseBar> bars = new ArrayList<>();
    private long longestClosedMs;
    private PhaseBar dhcp;
    private PhaseBar bootFile;
    private PhaseBar reading;
    private long lastActivityMs = Long.MIN_VALUE;

    Lane(String key, String label) {
        this.key = key;
        this.label = label;
    }

    public String key() {
        return key;
    }

    /** The client's name, else the MAC. */
    public String label() {
        return label;
    }

    /** Every event of this lane in arrival order. */
    public List<BootEvent> events() {
        return Collections.unmodifiableList(events);
    }

    /** The bars, sorted by start time. */
    public List<PhaseBar> phases() {
        return Collections.unmodifiableList(bars);
    }

    public long lastActivityMs() {
        return lastActivityMs;
    }

    /** Index of {@code e} in {@link #events()} (same id, else same instance), -1 when gone. */
    public int indexOf(BootEvent e) {
        for (int i = events.size() - 1; i >= 0; i--) {
            BootEvent x = events.get(i);
            if (x == e || (e.id() != 0 && x.id() == e.id())) return i;
        }
        return -1;
    }

    /** The bar an event belongs to, or null (a logout with no reading open). */
    public PhaseBar barOf(BootEvent e) {
        for (int i = bars.size() - 1; i >= 0; i--) {
            for (BootEvent x : bars.get(i).events()) if (x == e) return bars.get(i);
        }
        return null;
    }

    void add(BootEvent e) {
        events.add(e);
        long at = e.at().toEpochMilli();
        lastActivityMs = Math.max(lastActivityMs, at);
        switch (e.type()) {
            case DHCP_DISCOVER, DHCP_OFFER, DHCP_REQUEST, DHCP_ACK, DHCP_NAK, PROXY_OFFER, PROXY_ACK -> addDhcp(e, at);
            case TFTP_PROBE -> bootFile = grow(bootFile, BootPhase.BOOT_FILE, e, at, at);
            case BOOT_FILE_SENT -> {
                long took = e.durationMs() == null ? 0 : Math.max(0, e.durationMs());
                bootFile = grow(bootFile, BootPhase.BOOT_FILE, e, at - took, at);
            }
            case SCRIPT_SERVED -> point(BootPhase.SCRIPT, e, at);
            case ISCSI_LOGIN -> point(BootPhase.ISCSI_LOGIN, e, at);
            case ISCSI_FIRST_READ -> {
                point(BootPhase.FIRST_READ, e, at);
                closeReading(null, at);
                reading = insert(new PhaseBar(BootPhase.OS_READING, at, at, e));
                reading.setOpen(true);
            }
            case NBD_CONNECT -> { // the booted OS (nbdroot) attached its disk: it reads from here on
                point(BootPhase.FIRST_READ, e, at);
                closeReading(null, at);
                reading = insert(new PhaseBar(BootPhase.OS_READING, at, at, e));
                reading.setOpen(true);
            }
            case ISCSI_LOGOUT, NBD_DISCONNECT -> closeReading(e, at);
            case HANDED_OVER -> point(BootPhase.HANDED_OVER, e, at);
            case IGNORED, BOOT_MODE_CHANGED, ISCSI_RESET -> { } // in the event list, no bar: nothing ran
            case ERROR, NBD_REFUSED -> point(BootPhase.FAILED, e, at);
        }
    }

    private void addDhcp(BootEvent e, long at) {
        if (e.type() == BootEventType.DHCP_DISCOVER) closeReading(null, at); // the machine booted again
        dhcp = grow(dhcp, BootPhase.DHCP, e, at, at);
    }

    /** Extends the current bar of a multi-event phase when it is recent and still the latest step, else starts one. */
    private PhaseBar grow(PhaseBar current, BootPhase phase, BootEvent e, long from, long to) {
        boolean continues = current != null && latestStep() == current && from - current.endMs(from) <= SAME_STEP_MS;
        if (!continues) return point(phase, e, from, to);
        long oldStart = current.startMs();
        current.extend(e, from, to);
        if (current.startMs() != oldStart) {
            bars.remove(current);
            insert(current);
        }
        noteSpan(current);
        return current;
    }

    private PhaseBar latestStep() {
        for (int i = bars.size() - 1; i >= 0; i--) {
            PhaseBar b = bars.get(i);
            if (b.phase() != BootPhase.FAILED && b.phase() != BootPhase.OS_READING) return b;
        }
        return null;
    }

    private PhaseBar point(BootPhase phase, BootEvent e, long at) {
        return point(phase, e, at, at);
    }

    private PhaseBar point(BootPhase phase, BootEvent e, long from, long to) {
        PhaseBar bar = insert(new PhaseBar(phase, from, to, e));
        noteSpan(bar);
        return bar;
    }

    private void closeReading(BootEvent logout, long at) {
        if (reading == null) return;
        reading.close(logout, at); // null: a new boot ended it
        noteSpan(reading);
        reading = null;
    }

    /** Forgets the lane's oldest event (the app keeps a bounded number); true when the lane is now empty. */
    boolean dropOldest() {
        if (events.isEmpty()) return true;
        BootEvent oldest = events.remove(0);
        long at = oldest.at().toEpochMilli();
        // a bar starts no later than its events, and bars are sorted by start: only the first few can hold it
        for (int i = 0; i < bars.size() && bars.get(i).startMs() <= at; i++) {
            PhaseBar bar = bars.get(i);
            if (bar.events().contains(oldest) && bar.drop(oldest)) {
                bars.remove(i--);
                if (bar == dhcp) dhcp = null;
                if (bar == bootFile) bootFile = null;
                if (bar == reading) reading = null;
            }
        }
        return events.isEmpty();
    }

    private PhaseBar insert(PhaseBar bar) {
        int i = bars.size();
        while (i > 0 && bars.get(i - 1).startMs() > bar.startMs()) i--;
        bars.add(i, bar);
        return bar;
    }

    private void noteSpan(PhaseBar bar) {
        if (!bar.open()) longestClosedMs = Math.max(longestClosedMs, bar.endMs(0) - bar.startMs());
    }

    /** The bars that overlap [fromMs, toMs], with {@code nowMs} as the end of open bars. */
    public List<PhaseBar> visible(long fromMs, long toMs, long nowMs) {
        long lookBack = longestClosedMs;
        if (reading != null) lookBack = Math.max(lookBack, fromMs - reading.startMs());
        int i = firstStartingAtOrAfter(fromMs - lookBack);
        List<PhaseBar> out = new ArrayList<>();
        for (; i < bars.size() && bars.get(i).startMs() <= toMs; i++) {
            PhaseBar b = bars.get(i);
            if (b.endMs(nowMs) >= fromMs) out.add(b);
        }
        return out;
    }

    private int firstStartingAtOrAfter(long ms) {
        int lo = 0;
        int hi = bars.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (bars.get(mid).startMs() < ms) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
