package org.netroot.app.ui.services;

import atlantafx.base.controls.Message;
import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.AppContext;
import org.netroot.app.ui.common.Icons;
import org.netroot.app.ui.common.View;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * DHCP, TFTP, HTTP, iSCSI and NBD: state, where each listens, live counters, failures with the fix, start
 * and stop of each and all; the control API's line; the server's warnings on top. Offline it says
 * that services run only in a server and offers to start one.
 */
public final class ServicesView implements View {
    private final ServicesViewModel model;
    private final VBox root = new VBox(12);
    private final VBox cards = new VBox(12);
    private final Map<String, ServiceCard> byName = new LinkedHashMap<>();
    private final Button startAll = new Button("Start all", Icons.of(Feather.PLAY_CIRCLE));

    public ServicesView(AppContext context) {
        model = new ServicesViewModel(context.model().status(), context.connection().state(), context.io(),
                context.connection()::control, context.connection().dataDir());
        root.setId("services-view");
        root.getStylesheets().add(ServicesView.class.getResource("/org/netroot/app/services.css").toExternalForm());
        ScrollPane scroll = new ScrollPane(cards);
        scroll.setFitToWidth(true);
        cards.setPadding(new Insets(0, 12, 0, 0)); // the cards' right edge clear of the scroll bar, not under it
        scroll.getStyleClass().add("edge-to-edge");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        root.getChildren().addAll(header(), warnings(), offline(), actionError(), scroll);
        model.rows().addListener((ListChangeListener<ServiceRow>) c -> showRows());
        model.controlApi().addListener((o, was, now) -> showRows());
        showRows();
    }

    private Node header() {
        Label title = new Label("Services");
        title.getStyleClass().add(Styles.TITLE_3);
        startAll.setId("services-start-all");
        Button stopAll = new Button("Stop all", Icons.of(Feather.STOP_CIRCLE));
        stopAll.setId("services-stop-all");
        startAll.setOnAction(e -> model.startAll());
        stopAll.setOnAction(e -> model.stopAll());
        for (Button b : new Button[] {startAll, stopAll}) {
            b.disableProperty().bind(model.server().not().or(model.allBusy()));
        }
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(8, title, grow, startAll, stopAll);
        bar.setAlignment(Pos.CENTER_LEFT);
        return bar;
    }

    /** The server's warnings (e.g. missing iPXE files) as one AtlantaFX message. */
    private Node warnings() {
        Message m = new Message("The server warns", "", Icons.of(Feather.ALERT_TRIANGLE));
        m.setId("services-warnings");
        m.getStyleClass().add(Styles.WARNING);
        m.descriptionProperty().bind(Bindings.createStringBinding(() -> String.join("\n", model.warnings()),
                model.warnings()));
        m.visibleProperty().bind(Bindings.isNotEmpty(model.warnings()));
        m.managedProperty().bind(m.visibleProperty());
        return m;
    }

    private Node offline() {
        Message m = new Message("No services here", "", Icons.of(Feather.POWER));
        m.setId("services-offline");
        m.getStyleClass().add(Styles.ACCENT);
        m.descriptionProperty().bind(model.offlineText());
        Button start = new Button("Start server", Icons.of(Feather.PLAY));
        start.setId("services-start-server");
        start.getStyleClass().add(Styles.ACCENT);
        start.setOnAction(e -> startServer());
        start.visibleProperty().bind(model.offline());
        start.managedProperty().bind(start.visibleProperty());
        VBox box = new VBox(8, m, start);
        box.visibleProperty().bind(Bindings.isNotEmpty(model.offlineText()));
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }

    /** The banner's "Start server" does it (privilege check, in-process start, re-attach): press that one. */
    private void startServer() {
        if (root.getScene() != null && root.getScene().lookup("#start-server") instanceof Button banner) banner.fire();
    }

    private Node actionError() {
        Label error = new Label();
        error.setId("services-error");
        error.setWrapText(true);
        error.getStyleClass().add(Styles.DANGER);
        error.textProperty().bind(model.error());
        error.visibleProperty().bind(Bindings.isNotEmpty(error.textProperty()));
        error.managedProperty().bind(error.visibleProperty());
        return error;
    }

    /** Updates the cards in place (focus stays on the button it was on); rebuilds only when services change. */
    private void showRows() {
        boolean same = byName.keySet().equals(model.rows().stream().map(ServiceRow::name)
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)));
        if (same) {
            for (ServiceRow r : model.rows()) byName.get(r.name()).update(r);
        } else {
            byName.clear();
            for (ServiceRow r : model.rows()) byName.put(r.name(), new ServiceCard(r, model::start, model::stop));
        }
        if (!same || cards.getChildren().size() != byName.size() + (model.controlApi().get().isEmpty() ? 0 : 1)) {
            cards.getChildren().setAll(byName.values().stream().map(ServiceCard::node).toList());
            if (!model.controlApi().get().isEmpty()) cards.getChildren().add(controlApiCard());
        }
    }

    private Node controlApiCard() {
        VBox card = new VBox(8);
        card.setId("service-control");
        card.getStyleClass().add("service-card");
        Label title = new Label("Control API");
        title.getStyleClass().add(Styles.TITLE_4);
        Label badge = new Label("Running");
        badge.getStyleClass().addAll("service-badge", Styles.SUCCESS);
        Label always = new Label("runs as long as the server");
        always.getStyleClass().add(Styles.TEXT_MUTED);
        HBox header = new HBox(10, title, badge, always);
        header.setAlignment(Pos.CENTER_LEFT);
        card.getChildren().add(header);
        Label line = new Label(model.controlApi().get(), Icons.of(Feather.RADIO));
        line.setId("service-control-address");
        line.setWrapText(true);
        line.setMinHeight(Region.USE_PREF_SIZE);
        card.getChildren().add(line);
        return card;
    }

    @Override
    public String title() {
        return "Services";
    }

    @Override
    public Ikon icon() {
        return Feather.SERVER;
    }

    @Override
    public Node node() {
        return root;
    }

    @Override
    public void shown() {
        if (!startAll.isDisabled()) startAll.requestFocus();
    }
}
