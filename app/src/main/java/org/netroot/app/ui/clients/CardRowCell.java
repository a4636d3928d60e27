package org.netroot.app.ui.clients;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javafx.geometry.Pos;
import javafx.scene.control.ListCell;
import javafx.scene.layout.HBox;

/**
 * A row of the Clients grid: a few {@link CardSlot}s side by side. The list view reuses it for whatever
 * row scrolls into view. An empty or hidden cell (spare, or the one the list measures rows with) lets
 * go of its cards, so no card nodes or ids linger outside the rows on screen.
 */
final class CardRowCell extends ListCell<List<String>> {
    private final HBox row = new HBox(CardRows.GAP);
    private final List<CardSlot> slots = new ArrayList<>();
    private final CardActions actions;
    private final Function<String, Card> cards;
    private final java.util.function.BiConsumer<Card, String> refocus;

    /**
     * @param cards what each key in a row shows now
     * @param refocus hears a card whose focused button (id) this row's node no longer shows
     */
    CardRowCell(CardActions actions, Function<String, Card> cards, java.util.function.BiConsumer<Card, String> refocus) {
        this.actions = actions;
        this.cards = cards;
        this.refocus = refocus;
        getStyleClass().add("card-row");
        row.setAlignment(Pos.TOP_LEFT);
        setText(null);
        // a spare cell (hidden, kept for reuse) lets go of its cards too; shown again, it takes them back
        visibleProperty().addListener((o, was, visible) -> setGraphic(visible && !isEmpty() && getItem() != null
                ? row : null));
    }

    @Override
    protected void updateItem(List<String> keys, boolean empty) {
        super.updateItem(keys, empty);
        if (empty || keys == null) {
            setGraphic(null);
            return;
        }
        while (slots.size() < keys.size()) slots.add(new CardSlot(actions, refocus));
        redraw();
        if (row.getChildren().size() != keys.size()) {
            row.getChildren().setAll(slots.subList(0, keys.size()).stream().map(CardSlot::node).toList());
        }
        // a hidden (spare) cell keeps no cards in the scene: it takes them back when shown (see above)
        if (isVisible() && getGraphic() != row) setGraphic(row);
    }

    /** Shows the newest words of this row's cards (each card node redraws only what changed). */
    void redraw() {
        List<String> keys = getItem();
        if (isEmpty() || keys == null) return;
        for (int i = 0; i < keys.size() && i < slots.size(); i++) {
            Card card = cards.apply(keys.get(i));
            if (card != null) slots.get(i).show(card); // null: the row is gone, its cell not yet reused
        }
    }
}
