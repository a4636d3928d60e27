package org.netroot.app.ui.volumes;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.AppContext;
import org.netroot.app.ui.common.View;

/** Placeholder: replaced by the Volumes view. */
public final class VolumesView implements View {
    private final StackPane root = new StackPane(new Label("Volumes"));

    public VolumesView(AppContext context) {
        root.setId("volumes-view");
    }

    @Override
    public String title() {
        return "Volumes";
    }

    @Override
    public Ikon icon() {
        return Feather.HARD_DRIVE;
    }

    @Override
    public Node node() {
        return root;
    }
}
