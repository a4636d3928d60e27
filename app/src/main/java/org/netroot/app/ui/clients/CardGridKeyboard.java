package org.netroot.app.ui.clients;

import java.util.List;
import javafx.beans.value.ChangeListener;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.ListView;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;

/**
 * Keyboard use of the virtualized Clients grid, as it was when every card was in the scene: Tab and
 * Shift+Tab go on from the last (first) row on screen to the next (previous) one, which the list view
 * only makes once it is scrolled to, and a card whose button takes the focus is scrolled fully into view.
 */
final class CardGridKeyboard {
    private CardGridKeyboard() {
    }

    static void install(ListView<List<String>> list) {
        list.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() != KeyCode.TAB || e.isControlDown() || e.isAltDown()) return;
            VirtualFlow<?> flow = flow(list);
            IndexedCell<?> cell = cellOf(focusOwner(list));
            if (flow == null || cell == null) return;
            int index = cell.getIndex();
            IndexedCell<?> edge = e.isShiftDown() ? flow.getFirstVisibleCell() : flow.getLastVisibleCell();
            int beyond = e.isShiftDown() ? index - 1 : index + 1;
            // the traversal that follows this filter finds the next row's buttons only when that row has a cell;
            // only from the row's last (first) button does Tab (Shift+Tab) leave the row
            if (edge != null && edge.getIndex() == index && beyond >= 0 && beyond < list.getItems().size()
                    && isEdgeButton(cell, focusOwner(list), e.isShiftDown())) {
                flow.scrollTo(beyond);
            }
        });
        // a click focuses its button before it fires: scrolling then would move the button from under the
        // pointer and lose the click, so only a focus that keys moved reveals its card
        boolean[] pressing = {false};
        list.addEventFilter(MouseEvent.MOUSE_PRESSED, e -> pressing[0] = true);
        list.addEventFilter(MouseEvent.MOUSE_RELEASED, e -> pressing[0] = false);
        ChangeListener<Node> focus = (o, was, now) -> {
            if (!pressing[0]) reveal(list, now);
        };
        list.sceneProperty().addListener((o, before, scene) -> {
            if (before != null) before.focusOwnerProperty().removeListener(focus);
            if (scene != null) scene.focusOwnerProperty().addListener(focus);
        });
    }

    /** Scrolls the row holding {@code focused}, when it is in this grid, fully into view. */
    private static void reveal(ListView<List<String>> list, Node focused) {
        CardRowCell cell = cellOf(focused);
        VirtualFlow<?> flow = flow(list);
        if (cell == null || flow == null || cell.getListView() != list || cell.getIndex() < 0) return;
        flow.scrollTo(cell.getIndex());
    }

    /** True when {@code focused} is the last (with {@code first}, the first) button Tab reaches in the row. */
    private static boolean isEdgeButton(IndexedCell<?> row, Node focused, boolean first) {
        List<Node> buttons = row.lookupAll(".button").stream()
                .filter(n -> n.isFocusTraversable() && n.isVisible() && !n.isDisabled()).toList();
        if (buttons.isEmpty()) return true;
        return (first ? buttons.get(0) : buttons.get(buttons.size() - 1)) == focused;
    }

    private static Node focusOwner(ListView<?> list) {
        Scene scene = list.getScene();
        return scene == null ? null : scene.getFocusOwner();
    }

    /** The grid row holding {@code n}, or null. */
    private static CardRowCell cellOf(Node n) {
        for (Node at = n; at != null; at = at.getParent()) {
            if (at instanceof CardRowCell cell) return cell;
        }
        return null;
    }

    private static VirtualFlow<?> flow(ListView<?> list) {
        return list.lookup(".virtual-flow") instanceof VirtualFlow<?> f ? f : null;
    }
}
