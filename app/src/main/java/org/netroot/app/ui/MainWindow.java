package org.netroot.app.ui;

import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.MenuBar;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.AppContext;
import org.netroot.app.connection.ConnectionState;
import org.netroot.app.ui.common.Icons;
import org.netroot.app.ui.common.View;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The window's frame: a sidebar of views (Ctrl+1..9 switch), a banner that says which server the
 * window is attached to (or that none runs, with a way to start one), and a line for the last error.
 */
public final class MainWindow {
    private final BorderPane root = new BorderPane();
    private final StackPane content = new StackPane();
    private final ToggleGroup nav = new ToggleGroup();
    private final Map<String, View> views = new LinkedHashMap<>();
    private final Map<String, ToggleButton> buttons = new LinkedHashMap<>();
    private final Button startServer = new Button("Start server");
    private final List<Consumer<String>> viewListeners = new ArrayList<>();
    private final VBox top = new VBox();
    private final Label note = new Label();

    public MainWindow(AppContext context, List<View> pages) {
        root.getStyleClass().add("main-window");
        VBox sidebar = new VBox(4);
        sidebar.getStyleClass().add("sidebar");
        sidebar.setPadding(new Insets(12, 8, 12, 8));
        Label brand = new Label("Netroot", Icons.of(Feather.CPU, 20));
        brand.getStyleClass().addAll("title-3", "brand");
        brand.setPadding(new Insets(0, 8, 12, 8));
        sidebar.getChildren().add(brand);
        int index = 1;
        for (View v : pages) {
            views.put(v.title(), v);
            ToggleButton b = new ToggleButton(v.title(), Icons.of(v.icon(), 18));
            b.setId("nav-" + v.title().toLowerCase());
            b.setToggleGroup(nav);
            b.setMaxWidth(Double.MAX_VALUE);
            b.setAlignment(Pos.CENTER_LEFT);
            b.setContentDisplay(ContentDisplay.LEFT);
            b.getStyleClass().add("nav-button");
            b.setOnAction(e -> show(v.title()));
            sidebar.getChildren().add(b);
            buttons.put(v.title(), b);
            int key = index++;
            if (key <= 9) {
                root.sceneProperty().addListener((o, was, scene) -> {
                    if (scene != null) {
                        scene.getAccelerators().put(new KeyCodeCombination(KeyCode.valueOf("DIGIT" + key),
                                KeyCombination.SHORTCUT_DOWN), () -> show(v.title()));
                    }
                });
            }
        }
        nav.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null && was != null) was.setSelected(true); // one view is always selected
        });
        SidebarKeys.install(sidebar, buttons.values());
        sidebar.setPrefWidth(180);
        root.setLeft(sidebar);
        top.getChildren().add(banner(context));
        root.setTop(top);
        content.setPadding(new Insets(16));
        root.setCenter(content);
        root.setBottom(new VBox(errorLine(context), noteLine()));
        if (!pages.isEmpty()) show(pages.get(0).title());
    }

    private Parent banner(AppContext context) {
        Label text = new Label();
        text.setId("connection-banner");
        text.textProperty().bind(context.connection().description());
        text.setWrapText(true);
        text.setGraphic(Icons.of(Feather.LINK));
        startServer.setId("start-server");
        startServer.getStyleClass().add("accent");
        startServer.visibleProperty().bind(context.connection().state().isEqualTo(ConnectionState.OFFLINE));
        startServer.managedProperty().bind(startServer.visibleProperty());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(12, text, grow, startServer);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.setPadding(new Insets(8, 16, 8, 16));
        bar.getStyleClass().add("connection-banner");
        context.connection().state().addListener((o, was, now) -> styleBanner(bar, now));
        styleBanner(bar, context.connection().state().get());
        return bar;
    }

    private static void styleBanner(HBox bar, ConnectionState state) {
        bar.getStyleClass().removeAll("state-server", "state-offline", "state-connecting", "state-failed");
        bar.getStyleClass().add("state-" + state.name().toLowerCase());
    }

    private Parent errorLine(AppContext context) {
        Label error = new Label();
        error.setId("error-line");
        error.getStyleClass().add("danger");
        error.setWrapText(true);
        error.textProperty().bind(context.model().lastError());
        error.visibleProperty().bind(Bindings.isNotEmpty(error.textProperty()));
        error.managedProperty().bind(error.visibleProperty());
        error.setPadding(new Insets(4, 16, 6, 16));
        return error;
    }

    private Parent noteLine() {
        note.setId("window-note");
        note.getStyleClass().add("text-muted");
        note.setWrapText(true);
        note.setGraphic(Icons.of(Feather.INFO));
        note.visibleProperty().bind(Bindings.isNotEmpty(note.textProperty()));
        note.managedProperty().bind(note.visibleProperty());
        note.setPadding(new Insets(4, 16, 6, 16));
        return note;
    }

    /** Puts the app's menu bar above the connection banner. */
    public void setMenuBar(Node menuBar) {
        top.getChildren().removeIf(n -> n instanceof MenuBar);
        top.getChildren().addFirst(menuBar);
    }

    /** A standing line at the bottom of the window (e.g. that this desktop has no tray); null hides it. */
    public void showNote(String text) {
        note.setText(text);
    }

    /** The views' titles in sidebar order. */
    public List<String> viewTitles() {
        return List.copyOf(views.keySet());
    }

    /** The "Start server" button of the offline banner (the app wires what it does). */
    public Button startServerButton() {
        return startServer;
    }

    public void show(String title) {
        View v = views.get(title);
        if (v == null) return;
        content.getChildren().setAll(v.node());
        buttons.get(title).setSelected(true);
        // a keyboard user walking the sidebar keeps their place there; a click or shortcut lands in the view
        if (!SidebarKeys.firing(buttons.get(title))) v.shown();
        viewListeners.forEach(l -> l.accept(title));
    }

    public String currentView() {
        return buttons.entrySet().stream().filter(e -> e.getValue().isSelected()).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /** Hears the title of every view shown from now on. */
    public void onViewChanged(Consumer<String> listener) {
        viewListeners.add(listener);
    }

    public Parent root() {
        return root;
    }

    /** Puts an action (a button) at the bottom of the sidebar, below the views. */
    public void addSidebarAction(javafx.scene.Node action) {
        if (root.getLeft() instanceof VBox sidebar) {
            if (sidebar.getChildren().stream().noneMatch(n -> "sidebar-grow".equals(n.getId()))) {
                Region grow = new Region();
                grow.setId("sidebar-grow");
                VBox.setVgrow(grow, Priority.ALWAYS);
                sidebar.getChildren().add(grow);
            }
            sidebar.getChildren().add(action);
        }
    }
}
