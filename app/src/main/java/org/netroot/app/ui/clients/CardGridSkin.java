package org.netroot.app.ui.clients;

import java.util.List;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.ListViewSkin;
import javafx.scene.control.skin.VirtualFlow;

/**
 * The Clients grid's list skin, whose rows are measured again when their cards change. A list view
 * sizes a row when the row scrolls in, not when the same row's content grows (a card turning failed
 * shows its error on more lines): without this the row kept its old height and cut the card.
 */
final class CardGridSkin extends ListViewSkin<List<Card>> {
    CardGridSkin(ListView<List<Card>> list) {
        super(list);
    }

    @Override
    protected VirtualFlow<ListCell<List<Card>>> createVirtualFlow() {
        return new Flow();
    }

    /** Sizes and places the rows on screen again on the next layout pass (only those: the rest have no nodes). */
    void remeasure() {
        ((Flow) getVirtualFlow()).remeasure();
    }

    private static final class Flow extends VirtualFlow<ListCell<List<Card>>> {
        void remeasure() {
            reconfigureCells();
        }
    }
}
