package org.netroot.app.ui.clients;

import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.layout.Region;

/**
 * The Clients grid, virtualized: a list view whose items are rows of cards ({@link CardRows}), so only
 * the rows on screen exist as nodes (a FlowPane of 200 cards kept ~3,500 labels in the scene, most of
 * the app's heap, and laid them all out on every refresh). Rows are recut when the width changes;
 * {@link CardGridKeyboard} keeps Tab moving through the cards' buttons and the focused card on screen.
 */
final class CardGrid {
    private final ListView<List<Card>> list = new ListView<>();
    private final ObservableList<List<Card>> rows = FXCollections.observableArrayList();
    private List<DiscoveredCard> discovered = List.of();
    private List<ClientCard> clients = List.of();
    private int columns = 1;

    CardGrid(CardActions actions) {
        list.setId("clients-grid");
        list.getStyleClass().add("card-grid");
        list.setItems(rows);
        list.setFocusTraversable(false); // Tab goes to the cards' buttons, not to the rows
        list.setPlaceholder(new Region());
        list.setFixedCellSize(CardRows.CARD_HEIGHT + CardRows.GAP); // rows placed without measuring them
        list.setCellFactory(l -> new CardRowCell(actions));
        list.widthProperty().addListener((o, before, width) -> {
            int fit = CardRows.columns(width.doubleValue());
            if (fit != columns) {
                columns = fit;
                recut();
            }
        });
        CardGridKeyboard.install(list);
    }

    /** Shows {@code discovered} machines first, then {@code clients}; rows that did not change stay as they are. */
    void show(List<DiscoveredCard> discovered, List<ClientCard> clients) {
        this.discovered = discovered;
        this.clients = clients;
        recut();
    }

    private void recut() {
        CardRows.apply(rows, CardRows.of(discovered, clients, columns));
    }

    Node node() {
        return list;
    }
}
