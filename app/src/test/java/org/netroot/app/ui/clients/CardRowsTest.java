package org.netroot.app.ui.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.Client;
import org.netroot.server.api.DiscoveredMachine;

/** Cutting the cards into rows, and replacing only the rows that changed. */
class CardRowsTest {
    @Test
    void asManyColumnsAsCardsFitAndAtLeastOne() {
        assertEquals(1, CardRows.columns(0));
        assertEquals(1, CardRows.columns(CardRows.SIDES + 320 + 320));
        assertEquals(2, CardRows.columns(CardRows.SIDES + 320 + 12 + 320));
        assertEquals(4, CardRows.columns(1400));
    }

    @Test
    void discoveredMachinesFirstThenClientsInRows() {
        DiscoveredCard d = new DiscoveredCard(new DiscoveredMachine("52:54:00:00:00:01", 7, null, null, null, null));
        List<ClientCard> clients = List.of(card("a"), card("b"), card("c"));
        assertEquals(List.of(List.of(d, clients.get(0)), List.of(clients.get(1), clients.get(2))),
                CardRows.of(List.of(d), clients, 2));
        assertEquals(List.of(), CardRows.of(List.of(), List.of(), 3));
    }

    @Test
    void onlyTheRowsThatDifferChange() {
        ObservableList<List<Card>> rows = FXCollections.observableArrayList();
        CardRows.apply(rows, CardRows.of(List.of(), List.of(card("a"), card("b"), card("c"), card("d")), 2));
        List<String> changes = new ArrayList<>();
        rows.addListener((ListChangeListener<List<Card>>) c -> {
            while (c.next()) changes.add(c.getFrom() + (c.wasReplaced() ? " replaced" : c.wasAdded() ? " added" : " removed"));
        });
        List<List<Card>> next = CardRows.of(List.of(), List.of(card("a"), card("b"), card("c"), card("e")), 2);
        CardRows.apply(rows, next);
        assertEquals(next, rows);
        assertEquals(List.of("1 replaced"), changes, "the first row stays");
        changes.clear();
        CardRows.apply(rows, CardRows.of(List.of(), List.of(card("a"), card("b"), card("c"), card("e"), card("f")), 2));
        assertEquals(List.of("2 added"), changes);
        changes.clear();
        CardRows.apply(rows, CardRows.of(List.of(), List.of(card("a"), card("b")), 2));
        assertEquals(List.of("1 removed"), changes);
    }

    private static ClientCard card(String name) {
        return new ClientCard(client(name), null, null, null);
    }

    private static Client client(String name) {
        return new Client(name, "52:54:00:00:01:0" + name.charAt(0) % 10, null, null, null, null, null, null, null, null);
    }
}
