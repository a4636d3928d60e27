package org.netroot.app.ui.wizard;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.netroot.server.api.DhcpProbeResult;
import org.netroot.server.api.ServerSettings;

/**
 * The DHCP page: what the probe found, in words, and the mode and range the user keeps or edits.
 * Filled from a probe result; proxy mode when the probe could not run (it never assigns addresses).
 */
public final class DhcpChoice {
    private final ReadOnlyStringWrapper finding = new ReadOnlyStringWrapper("");
    private final StringProperty mode = new SimpleStringProperty(ServerSettings.PROXY);
    private final StringProperty rangeStart = new SimpleStringProperty("");
    private final StringProperty rangeEnd = new SimpleStringProperty("");

    /** Takes the probe's recommendation (and its range) as the choice. */
    public void recommend(DhcpProbeResult r) {
        if (r.problem() != null) {
            finding.set(r.explanation() + " Choose yourself: proxy mode is safe beside a router that hands out"
                    + " addresses; full mode when nothing on this network does.");
            mode.set(ServerSettings.PROXY);
            return;
        }
        finding.set(r.explanation());
        mode.set(r.recommendedMode());
        rangeStart.set(r.suggestedRangeStart() == null ? "" : r.suggestedRangeStart());
        rangeEnd.set(r.suggestedRangeEnd() == null ? "" : r.suggestedRangeEnd());
    }

    /** What the probe found, for the page's first line. */
    public ReadOnlyStringProperty finding() {
        return finding.getReadOnlyProperty();
    }

    /** PROXY, FULL or OFF. */
    public StringProperty mode() {
        return mode;
    }

    public StringProperty rangeStart() {
        return rangeStart;
    }

    public StringProperty rangeEnd() {
        return rangeEnd;
    }

    public boolean full() {
        return ServerSettings.FULL.equals(mode.get());
    }

    /** The settings for {@code base} with this choice (the range only in full mode). */
    public ServerSettings applyTo(ServerSettings base) {
        return full() ? base.withDhcp(mode.get(), rangeStart.get().trim(), rangeEnd.get().trim())
                : base.withDhcp(mode.get(), null, null);
    }
}
