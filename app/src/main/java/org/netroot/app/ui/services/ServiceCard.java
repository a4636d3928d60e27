package org.netroot.app.ui.services;

import atlantafx.base.theme.Styles;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.ui.common.Icons;

import java.util.function.Consumer;

/**
 * One service's card: name and state badge, Start and Stop, where it listens, counters, its failure in
 * words. A VBox styled as a card, not AtlantaFX's Card: a Control does not give wrapped lines their
 * height, and a failure with its fix often takes two.
 */
final class ServiceCard {
    private final VBox card = new VBox(8);
    private final Label badge = new Label();
    private final Label listening = new Label();
    private final Label dhcp = new Label();
    private final Label requests = new Label();
    private final Label dropped = new Label();
    private final Label failure = new Label();
    private final Button start = new Button("Start", Icons.of(Feather.PLAY));
    private final Button stop = new Button("Stop", Icons.of(Feather.SQUARE));
    private String name;

    ServiceCard(ServiceRow row, Consumer<String> onStart, Consumer<String> onStop) {
        String id = "service-" + row.id();
        card.setId(id);
        card.getStyleClass().add("service-card");
        Label title = new Label(row.name());
        title.getStyleClass().add(Styles.TITLE_4);
        badge.setId(id + "-state");
        badge.getStyleClass().add("service-badge");
        start.setId(id + "-start");
        stop.setId(id + "-stop");
        start.setOnAction(e -> onStart.accept(name));
        stop.setOnAction(e -> onStop.accept(name));
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox header = new HBox(10, title, badge, grow, start, stop);
        header.setAlignment(Pos.CENTER_LEFT);
        card.getChildren().add(header);

        listening.setId(id + "-address");
        listening.setGraphic(Icons.of(Feather.RADIO));
        dhcp.setId(id + "-dhcp");
        dhcp.setWrapText(true);
        requests.setId(id + "-requests");
        requests.setGraphic(Icons.of(Feather.ACTIVITY));
        dropped.setId(id + "-dropped");
        dropped.setGraphic(Icons.of(Feather.SLASH));
        HBox counters = new HBox(24, requests, dropped);
        failure.setId(id + "-failure");
        failure.setWrapText(true);
        failure.setGraphic(Icons.of(Feather.ALERT_TRIANGLE));
        failure.getStyleClass().add(Styles.DANGER);
        for (Label l : new Label[] {dhcp, failure}) {
            l.managedProperty().bind(l.visibleProperty());
            l.setMinHeight(Region.USE_PREF_SIZE); // wrapped lines take the height they need instead of an ellipsis
        }
        card.getChildren().add(new VBox(6, listening, dhcp, counters, failure));
        update(row);
    }

    void update(ServiceRow row) {
        name = row.name();
        badge.setText(row.badge());
        badge.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER, "service-stopped");
        badge.getStyleClass().add(switch (row.tone()) {
            case RUNNING -> Styles.SUCCESS;
            case FAILED -> Styles.DANGER;
            case STOPPED -> "service-stopped";
        });
        listening.setText(row.listening());
        dhcp.setText(row.dhcp());
        dhcp.setVisible(!row.dhcp().isEmpty());
        requests.setText(row.requests());
        dropped.setText(row.dropped());
        failure.setText(row.failure());
        failure.setVisible(!row.failure().isEmpty());
        start.setDisable(!row.canStart());
        stop.setDisable(!row.canStop());
    }

    VBox node() {
        return card;
    }
}
