package org.netroot.app.ui.timeline;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.AppContext;
import org.netroot.app.ui.common.View;

/** Placeholder: replaced by the Timeline view. */
public final class TimelineView implements View {
    private final StackPane root = new StackPane(new Label("Timeline"));

    public TimelineView(AppContext context) {
        root.setId("timeline-view");
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
}
