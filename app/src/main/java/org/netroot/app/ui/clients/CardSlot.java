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

    private final java.util.function.BiConsumer<Card, String> refocus;
    private Card current;

    CardSlot(CardActions actions, java.util.function.BiConsumer<Card, String> refocus) {
        this.actions = actions;
        this.refocus = refocus;
    }

    void show(Card card) {
        Card before = current;
        String focused = focusedIdWithin();
        current = card;
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
        if (focused != null && before != null && !before.key().equals(card.key())) refocus.accept(before, focused);
    }

    /** The id of the focused button when it is on this place's card (taken before the ids follow the new card). */
    private String focusedIdWithin() {
        var scene = root.getScene();
        Node owner = scene == null ? null : scene.getFocusOwner();
        for (Node at = owner; at != null; at = at.getParent()) {
            if (at == root) return owner.getId();
        }
        return null;
    }

    Node node() {
        return root;
    }
}
