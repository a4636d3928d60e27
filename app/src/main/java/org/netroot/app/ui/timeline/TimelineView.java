package org.netroot.app.ui.timeline;

import atlantafx.base.theme.Styles;
import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Separator;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.AppContext;
import org.netroot.app.ui.common.Icons;
import org.netroot.app.ui.common.View;
import org.netroot.server.api.BootEvent;

import java.util.List;

/**
 * The boot timeline: one lane per client, a bar per boot phase, drawn live as events arrive. Toolbar:
 * zoom, fit, follow live, legend; below the lanes the selected step's details. Keys on the lanes:
 * +/- zoom, Left/Right previous/next event of the lane, Up/Down the lane above/below, F fit, L live.
 */
public final class TimelineView implements View {
    private final TimelineViewModel vm;
    private final TimelineCanvas canvas;
    private final EventDetailsPanel details = new EventDetailsPanel();
    private final BorderPane root = new BorderPane();

    public TimelineView(AppContext context) {
        this(new TimelineViewModel(context.model().bootEvents(), System::currentTimeMillis));
    }

    TimelineView(TimelineViewModel vm) {
        this.vm = vm;
        this.canvas = new TimelineCanvas(vm);
        root.setId("timeline-view");
        root.getStylesheets().add(TimelineView.class.getResource("/org/netroot/app/timeline.css").toExternalForm());
        canvas.setId("timeline-canvas");
        canvas.setFocusTraversable(true);
        canvas.setAccessibleText("Boot timeline");
        canvas.addEventHandler(KeyEvent.KEY_PRESSED, this::key);
        root.setTop(toolbar());
        root.setCenter(canvas);
        root.setBottom(details);
        vm.selected().addListener((o, was, now) -> {
            details.show(now);
            canvas.setAccessibleText(now == null ? "Boot timeline" : "Selected: " + EventText.headline(now));
            if (now != null) revealLaneOf(now);
        });
    }

    private Node toolbar() {
        Button zoomIn = button("timeline-zoom-in", Feather.ZOOM_IN, "Zoom in (+)", vm::zoomIn);
        Button zoomOut = button("timeline-zoom-out", Feather.ZOOM_OUT, "Zoom out (-)", vm::zoomOut);
        Button fit = button("timeline-fit", Feather.MAXIMIZE, "Fit: show every event (F)", vm::fit);
        fit.setText("Fit");
        fit.getStyleClass().remove(Styles.BUTTON_ICON); // an icon-only button hides its text
        ToggleButton follow = new ToggleButton("Follow live", Icons.of(Feather.RADIO));
        follow.setId("timeline-follow");
        follow.setTooltip(new Tooltip("Keep now in view (L)"));
        follow.selectedProperty().bindBidirectional(vm.followLive());
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox bar = new HBox(6, zoomIn, zoomOut, fit, new Separator(Orientation.VERTICAL), follow, grow,
                new TimelineLegend());
        bar.getStyleClass().add("timeline-toolbar");
        return bar;
    }

    private static Button button(String id, Ikon icon, String tip, Runnable action) {
        Button b = new Button(null, Icons.of(icon));
        b.setId(id);
        b.getStyleClass().add(Styles.BUTTON_ICON);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    private void key(KeyEvent k) {
        KeyCode c = k.getCode();
        boolean handled = true;
        switch (c) {
            case PLUS, ADD, EQUALS -> vm.zoomIn();
            case MINUS, SUBTRACT -> vm.zoomOut();
            case LEFT -> vm.moveInLane(-1);
            case RIGHT -> vm.moveInLane(1);
            case UP -> vm.moveAcrossLanes(-1);
            case DOWN -> vm.moveAcrossLanes(1);
            case F -> vm.fit();
            case L -> vm.followLive().set(!vm.followLive().get());
            case ESCAPE -> vm.selected().set(null);
            default -> handled = false;
        }
        if (handled) k.consume();
    }

    private void revealLaneOf(BootEvent e) {
        Lane lane = vm.laneOf(e);
        if (lane != null) canvas.revealLane(vm.model().lanes().indexOf(lane));
    }

    public TimelineViewModel viewModel() {
        return vm;
    }

    /** Test read-out: the bars of the last frame. */
    List<DrawnBar> drawnBars() {
        return canvas.lastDrawn();
    }

    TimelineCanvas canvas() {
        return canvas;
    }

    String detailsText() {
        return details.text();
    }

    @Override
    public String title() {
        return "Timeline";
    }

    @Override
    public Ikon icon() {
        return Feather.ACTIVITY;
    }

    @Override
    public Node node() {
        return root;
    }

    @Override
    public void shown() {
        canvas.requestFocus();
    }
}
