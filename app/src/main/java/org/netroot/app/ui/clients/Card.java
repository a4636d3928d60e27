package org.netroot.app.ui.clients;

/**
 * What one place in the Clients grid shows: a client or a discovered machine. One type for both lets
 * the grid's rows hold discovered machines first, then clients, and a reused cell show either kind.
 */
public sealed interface Card permits ClientCard, DiscoveredCard {
    /** Which client or machine it is (the name, the MAC), whatever it shows about it now. */
    default String key() {
        return switch (this) {
            case ClientCard c -> "client " + c.name();
            case DiscoveredCard d -> "discovered " + d.mac();
        };
    }
}
