package org.netroot.app.ui.clients;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.AppContext;
import org.netroot.app.ui.common.View;

/** Placeholder: replaced by the Clients view. */
public final class ClientsView implements View {
    private final StackPane root = new StackPane(new Label("Clients"));

    public ClientsView(AppContext context) {
        root.setId("clients-view");
    }

    @Override
    public String title() {
        return "Clients";
    }

    @Override
    public Ikon icon() {
        return Feather.USERS;
    }

    @Override
    public Node node() {
        return root;
    }
}
