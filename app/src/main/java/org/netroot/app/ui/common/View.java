package org.netroot.app.ui.common;

import javafx.scene.Node;
import org.kordamp.ikonli.Ikon;

/** One page of the main window: a title and icon for the sidebar, and its content. */
public interface View {
    /** Sidebar label, also the id used to remember the last view ("Clients"). */
    String title();

    Ikon icon();

    Node node();

    /** Called when the view is shown (focus its first control). */
    default void shown() {
    }
}
