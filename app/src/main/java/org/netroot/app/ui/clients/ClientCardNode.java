package org.netroot.app.ui.clients;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.OverrunStyle;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.ui.common.Icons;

/**
 * One client's card: what it is, what it does now, and its Edit and Remove buttons. A node shows
 * whichever client its grid cell holds now (cells are reused as the grid scrolls), so its ids follow
 * the client shown, set in {@link #show}, not at construction.
 */
final class ClientCardNode {
    private final VBox root = new VBox(8);
    private final Label name = new Label();
    private final Label state = new Label();
    private final Label error = new Label();
    private final Tooltip errorTip = new Tooltip();
    private final Tooltip stateTip = new Tooltip();
    private final GridPane facts = new GridPane();
    private final Label mac = fact(0, "MAC");
    private final Label firmware = fact(1, "Firmware");
    private final Label ip = fact(2, "IP");
    private static final int BOOT_ROW = 3;
    private final Label bootMode = fact(BOOT_ROW, "Boot");
    private static final int INITIATORS_ROW = 4;
    private final Label initiators = fact(INITIATORS_ROW, "Initiators");
    private static final int VOLUME_ROW = 5;
    private final Label volume = fact(VOLUME_ROW, "Volume");
    private final Label io = fact(6, "I/O");
    private final Label lastBoot = fact(7, "Last boot");
    private final Button edit = new Button("Edit", Icons.of(Feather.EDIT_2));
    private final Button remove = new Button("Remove", Icons.of(Feather.TRASH_2));
    private ClientCard shown;
    private org.netroot.server.api.BootMode shownMode;

    ClientCardNode(Consumer<ClientCard> onEdit, Consumer<ClientCard> onRemove) {
        root.getStyleClass().add("client-card");
        name.getStyleClass().add("title-4");
        state.getStyleClass().add("state-badge");
        state.setMinWidth(Region.USE_PREF_SIZE);
        stateTip.setWrapText(true);
        stateTip.setMaxWidth(360);
        state.setTooltip(stateTip);
        error.getStyleClass().addAll("danger", "card-error");
        error.setWrapText(true);
        error.managedProperty().bind(error.visibleProperty());
        facts.setHgap(10);
        facts.setVgap(2);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, Icons.of(Feather.MONITOR, 18), name, spacer, state);
        header.setAlignment(Pos.CENTER_LEFT);
        edit.setOnAction(e -> onEdit.accept(shown));
        remove.getStyleClass().add("danger");
        remove.setOnAction(e -> onRemove.accept(shown));
        HBox actions = new HBox(8, edit, remove);
        actions.setAlignment(Pos.CENTER_RIGHT);
        root.getChildren().addAll(header, error, facts, actions);
        // cards have one height (CardRows.CARD_HEIGHT): when the words do not fit, the error gives way
        // (ending in "...", all of it in its tooltip), never the facts or the buttons
        for (Region fixed : List.of(header, facts, actions)) fixed.setMinHeight(Region.USE_PREF_SIZE);
        error.setTooltip(errorTip);
    }

    private Label fact(int row, String what) {
        Label key = new Label(what);
        key.getStyleClass().add("text-muted");
        key.setMinWidth(Region.USE_PREF_SIZE); // the value gives way, not the words saying what it is
        Label value = new Label();
        // "office-pc: 4.00 KiB used of 64.0 GiB", "kernel vmlinuz-6.1 + initrd.img-6.1": two lines at most (one card height)
        if (row == VOLUME_ROW || row == BOOT_ROW) {
            value.setWrapText(true);
            value.getStyleClass().add("two-lines");
        }
        value.setTooltip(new Tooltip()); // a value cut with "..." keeps all its words here
        if (row == INITIATORS_ROW) { // one name a line, two lines at most; the tooltip has all of them
            value.getStyleClass().add("two-lines");
            // names differ at their ends ("...:initiator:pc1", "...microsoft:pc1"): cut in the middle
            value.setTextOverrun(OverrunStyle.CENTER_ELLIPSIS);
        } else {
            value.getTooltip().textProperty().bind(value.textProperty());
        }
        facts.addRow(row, key, value);
        return value;
    }

    /** Draws {@code card}; nothing when it is the card shown already (most cards, most refreshes). */
    void show(ClientCard card) {
        if (card.equals(shown)) return;
        if (shown == null || !shown.name().equals(card.name())) named(card.name());
        shown = card;
        state.setText(card.stateWords());
        stateTip.setText(card.stateTip());
        String stateClass = "state-" + card.stateWords();
        if (!state.getStyleClass().contains(stateClass)) { // a class change restyles the badge: only when it changed
            state.getStyleClass().removeIf(c -> c.startsWith("state-") && !c.equals("state-badge"));
            state.getStyleClass().add(stateClass);
        }
        error.setText(card.error() == null ? "" : card.error());
        errorTip.setText(error.getText());
        error.setVisible(card.error() != null);
        mac.setText(card.client().mac());
        firmware.setText(card.firmware());
        ip.setText(card.ip());
        bootMode.setText(card.bootMode());
        bootMode.getTooltip().textProperty().unbind();
        bootMode.getTooltip().setText(card.bootTip());
        if (shownMode != card.client().bootMode()) { // a new icon node only when the mode changed
            shownMode = card.client().bootMode();
            bootMode.setGraphic(Icons.of(BootModeLook.icon(shownMode), 14));
        }
        initiators.setText(card.initiatorsText());
        initiators.getTooltip().setText(card.initiatorsTip());
        volume.setText(card.volumeText());
        io.setText(card.ioText());
        lastBoot.setText(card.lastBootText(ZoneId.systemDefault(), LocalDate.now()));
    }

    /** The ids tests and users find this card by: they follow the client shown. */
    private void named(String clientName) {
        root.setId("client-" + clientName);
        name.setText(clientName);
        state.setId("state-" + clientName);
        error.setId("error-" + clientName);
        edit.setId("edit-" + clientName);
        remove.setId("remove-" + clientName);
        initiators.setId("initiators-" + clientName);
        bootMode.setId("boot-" + clientName);
    }

    Node node() {
        return root;
    }
}
