package org.netroot.app.ui.clients;

import javafx.scene.Node;
import javafx.scene.layout.StackPane;

/**
 * One place in a grid row: shows a client's card or a discovered machine's, whichever its row holds
 * now. Each kind's node is made the first time this place shows that kind, then reused, so scrolling
 * and refreshes redraw labels rather than build nodes.
 */
final class CardSlot {
    private final StackPane root = new StackPane();
    private final CardActions actions;
    private ClientCardNode client;
    private DiscoveredCardNode discovered;

    CardSlot(CardActions actions) {
        this.actions = actions;
    }

    void show(Card card) {
        Node shown = switch (card) {
            case ClientCard c -> {
                if (client == null) client = new ClientCardNode(actions.edit(), actions.remove());
                client.show(c);
                yield client.node();
            }
            case DiscoveredCard d -> {
                if (discovered == null) discovered = new DiscoveredCardNode(actions.adopt(), actions.forget());
                discovered.show(d);
                yield discovered.node();
            }
        };
        if (root.getChildren().size() != 1 || root.getChildren().get(0) != shown) root.getChildren().setAll(shown);
    }

    Node node() {
        return root;
    }
}
