package org.netroot.app.ui.clients;

import java.util.function.Consumer;

/**
 * What a card's buttons do, handed to every card node the grid makes: a node shows whichever card its
 * cell holds, so the actions take the card, not a name fixed when the node was made.
 */
record CardActions(Consumer<ClientCard> edit, Consumer<ClientCard> remove, Consumer<DiscoveredCard> adopt,
        Consumer<DiscoveredCard> forget) {
}
