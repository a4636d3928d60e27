package org.netroot.app.ui.clients;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.ObservableList;

/**
 * The Clients grid as rows: discovered machines first (they want attention), then clients by name,
 * cut into rows of as many cards as the width holds. A list view of rows is what virtualizes the grid
 * (only the rows on screen have nodes), so the rows are recut when the width changes, and a refresh
 * replaces only the rows whose cards moved: an unchanged row keeps its cell, and a card whose words
 * changed is redrawn in place by the cell showing it.
 */
final class CardRows {
    /** A card's width (clients.css: .client-card's -fx-pref-width), and the gap between cards. */
    static final double CARD_WIDTH = 320;
    /**
     * Every card's height: room for a three-line error, two initiator names and a two-line volume (a boot
     * mode's assets on a second line take from the error's room, which gives way first). One
     * height for all rows lets the list place rows without measuring them (measuring meant building every
     * row's cards: hundreds of ms of the FX thread per change at 200 clients); longer words end in "..."
     * and the tooltip has them.
     */
    static final double CARD_HEIGHT = 362;
    static final double GAP = 12;
    /** A row cell's padding left and right, and room kept for the vertical scroll bar. */
    static final double SIDES = 16 + 16 + 14;

    private CardRows() {
    }

    /** How many cards fit side by side in a grid {@code width} wide: at least one. */
    static int columns(double width) {
        return Math.max(1, (int) Math.floor((width - SIDES + GAP) / (CARD_WIDTH + GAP)));
    }

    /** {@code discovered}, then {@code clients}, in rows of {@code columns} cards (the last one may be shorter). */
    static List<List<Card>> of(List<DiscoveredCard> discovered, List<ClientCard> clients, int columns) {
        List<Card> all = new ArrayList<>(discovered.size() + clients.size());
        all.addAll(discovered);
        all.addAll(clients);
        List<List<Card>> rows = new ArrayList<>((all.size() + columns - 1) / columns);
        for (int i = 0; i < all.size(); i += columns) rows.add(List.copyOf(all.subList(i, Math.min(i + columns, all.size()))));
        return rows;
    }

    /**
     * The rows as the grid's list holds them: each card by its {@link Card#key() key}. A card whose
     * words changed keeps its key, so its row stays as it is in the list (replacing a row makes the list
     * view reconfigure every cell on screen: the whole window restyled and redrawn, tens of ms of
     * software rendering per event); the cells on screen redraw that card in place instead.
     */
    static List<List<String>> keys(List<List<Card>> rows) {
        return rows.stream().map(row -> row.stream().map(Card::key).toList()).toList();
    }

    /**
     * Makes {@code rows} equal {@code next} by setting only the rows that differ and adding or removing
     * at the end: the list view redraws those rows' cells only.
     */
    static <T> void apply(ObservableList<List<T>> rows, List<List<T>> next) {
        if (rows.isEmpty() || next.isEmpty()) {
            if (!rows.equals(next)) rows.setAll(next);
            return;
        }
        if (rows.size() > next.size()) rows.remove(next.size(), rows.size());
        for (int i = 0; i < rows.size(); i++) {
            if (!rows.get(i).equals(next.get(i))) rows.set(i, next.get(i));
        }
        if (next.size() > rows.size()) rows.addAll(next.subList(rows.size(), next.size()));
    }
}
