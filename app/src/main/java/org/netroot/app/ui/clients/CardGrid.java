package org.netroot.app.ui.clients;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.application.Platform;
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
    private final ListView<List<String>> list = new ListView<>();
    /** The rows, each card by its key: they change only when cards move, not when their words do. */
    private final ObservableList<List<String>> rows = FXCollections.observableArrayList();
    /** What each key shows now. */
    private final Map<String, Card> cards = new HashMap<>();
    /** Every row cell the list made (a dozen or so): the ones showing a row redraw changed cards in place. */
    private final List<CardRowCell> cells = new ArrayList<>();
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
        list.setCellFactory(l -> {
            CardRowCell cell = new CardRowCell(actions, cards::get, this::refocus);
            cells.add(cell);
            return cell;
        });
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
        cards.clear();
        for (Card c : discovered) cards.put(c.key(), c);
        for (Card c : clients) cards.put(c.key(), c);
        CardRows.apply(rows, CardRows.keys(CardRows.of(discovered, clients, columns)));
        for (CardRowCell cell : cells) cell.redraw(); // rows whose cards kept their places: newer words
    }

    /**
     * The focus was on a button of {@code card}'s node, which now shows another card (rows moved: a client
     * added or removed, a machine discovered): the focus goes back to that card's button of the same id,
     * wherever its row is now, so a key press never acts on another client than the one the user chose.
     */
    private void refocus(Card card, String buttonId) {
        Platform.runLater(() -> { // after the layout that placed every card
            if (focus(buttonId)) return;
            int row = -1;
            for (int i = 0; i < rows.size() && row < 0; i++) {
                if (rows.get(i).contains(card.key())) row = i;
            }
            if (row < 0) { // the card is gone (removed, adopted): the grid keeps the focus, on no card
                list.requestFocus();
                return;
            }
            list.scrollTo(row);
            Platform.runLater(() -> {
                if (!focus(buttonId)) list.requestFocus();
            });
        });
    }

    private boolean focus(String id) {
        Node n = list.lookup("#" + id);
        if (n == null || !n.isVisible()) return false;
        n.requestFocus();
        return true;
    }

    Node node() {
        return list;
    }
}
