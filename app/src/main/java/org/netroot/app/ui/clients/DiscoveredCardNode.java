package org.netroot.app.ui.clients;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.List;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.ui.common.Icons;

/**
 * A machine that PXE-booted but is no client: what it said about itself, Adopt and Forget. Like a
 * client's card, its ids follow the machine shown (set in {@link #show}), as grid cells are reused.
 */
final class DiscoveredCardNode {
    private static final DateTimeFormatter SEEN = DateTimeFormatter.ofPattern("MMM d, HH:mm:ss", Locale.ENGLISH)
            .withZone(ZoneId.systemDefault());
    private final VBox root = new VBox(8);
    private final GridPane facts = new GridPane();
    private final Label firmware = fact(0, "Firmware");
    private final Label vendor = fact(1, "Vendor");
    private final Label nic = fact(2, "Interface");
    private final Label seen = fact(3, "Last seen");
    private final Label mac = new Label();
    private final Button adopt = new Button("Adopt", Icons.of(Feather.PLUS_CIRCLE));
    private final Button forget = new Button("Forget", Icons.of(Feather.X));
    private DiscoveredCard shown;

    DiscoveredCardNode(Consumer<DiscoveredCard> onAdopt, Consumer<DiscoveredCard> onForget) {
        root.getStyleClass().addAll("client-card", "discovered-card");
        mac.getStyleClass().add("text-bold");
        mac.setMinWidth(Region.USE_PREF_SIZE);
        Label tag = new Label("discovered");
        tag.getStyleClass().addAll("state-badge", "state-discovered");
        tag.setMinWidth(Region.USE_PREF_SIZE);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox header = new HBox(8, Icons.of(Feather.SEARCH, 18), mac, spacer, tag);
        header.setAlignment(Pos.CENTER_LEFT);
        facts.setHgap(10);
        facts.setVgap(2);
        adopt.getStyleClass().add("accent");
        adopt.setOnAction(e -> onAdopt.accept(shown));
        forget.setOnAction(e -> onForget.accept(shown));
        HBox actions = new HBox(8, forget, adopt);
        actions.setAlignment(Pos.CENTER_RIGHT);
        Label hint = new Label("Asked to network-boot; not a client yet.");
        hint.getStyleClass().add("text-muted");
        root.getChildren().addAll(header, hint, facts, actions);
        for (Region fixed : List.of(header, facts, actions)) fixed.setMinHeight(Region.USE_PREF_SIZE); // one card height
    }

    private Label fact(int row, String what) {
        Label key = new Label(what);
        key.getStyleClass().add("text-muted");
        key.setMinWidth(Region.USE_PREF_SIZE); // the value gives way, not the words saying what it is
        Label value = new Label();
        facts.addRow(row, key, value);
        return value;
    }

    void show(DiscoveredCard card) {
        if (card.equals(shown)) return;
        if (shown == null || !shown.mac().equals(card.mac())) {
            root.setId("discovered-" + card.idSuffix());
            mac.setText(card.mac());
            adopt.setId("adopt-" + card.idSuffix());
            forget.setId("forget-" + card.idSuffix());
        }
        shown = card;
        firmware.setText(card.firmware());
        vendor.setText(card.vendor());
        nic.setText(card.interfaceName());
        seen.setText(card.machine().lastSeen() == null ? "-" : SEEN.format(card.machine().lastSeen()));
    }

    Node node() {
        return root;
    }
}
