package org.netroot.app.ui.services;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.AppContext;
import org.netroot.app.ui.common.View;

/** Placeholder: replaced by the Services view. */
public final class ServicesView implements View {
    private final StackPane root = new StackPane(new Label("Services"));

    public ServicesView(AppContext context) {
        root.setId("services-view");
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
}
