package org.netroot.app.ui.clients;

import java.util.ArrayList;
import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.control.ListCell;
import javafx.scene.layout.HBox;

/**
 * A row of the Clients grid: a few {@link CardSlot}s side by side. The list view reuses it for whatever
 * row scrolls into view. An empty or hidden cell (spare, or the one the list measures rows with) lets
 * go of its cards, so no card nodes or ids linger outside the rows on screen.
 */
final class CardRowCell extends ListCell<List<Card>> {
    private final HBox row = new HBox(CardRows.GAP);
    private final List<CardSlot> slots = new ArrayList<>();
    private final CardActions actions;
    private final java.util.function.BiConsumer<Card, String> refocus;

    /** @param refocus hears a card whose focused button (id) this row's node no longer shows */
    CardRowCell(CardActions actions, java.util.function.BiConsumer<Card, String> refocus) {
        this.actions = actions;
        this.refocus = refocus;
        getStyleClass().add("card-row");
        row.setAlignment(Pos.TOP_LEFT);
        setText(null);
        // a spare cell (hidden, kept for reuse) lets go of its cards too; shown again, it takes them back
        visibleProperty().addListener((o, was, visible) -> setGraphic(visible && !isEmpty() && getItem() != null
                ? row : null));
    }

    @Override
    protected void updateItem(List<Card> cards, boolean empty) {
        super.updateItem(cards, empty);
        if (empty || cards == null) {
            setGraphic(null);
            return;
        }
        while (slots.size() < cards.size()) slots.add(new CardSlot(actions, refocus));
        for (int i = 0; i < cards.size(); i++) slots.get(i).show(cards.get(i));
        if (row.getChildren().size() != cards.size()) {
            row.getChildren().setAll(slots.subList(0, cards.size()).stream().map(CardSlot::node).toList());
        }
        // a hidden (spare) cell keeps no cards in the scene: it takes them back when shown (see above)
        if (isVisible() && getGraphic() != row) setGraphic(row);
    }
}
