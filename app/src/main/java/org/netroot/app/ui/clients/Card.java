package org.netroot.app.ui.clients;

/**
 * What one place in the Clients grid shows: a client or a discovered machine. One type for both lets
 * the grid's rows hold discovered machines first, then clients, and a reused cell show either kind.
 */
public sealed interface Card permits ClientCard, DiscoveredCard {
}
