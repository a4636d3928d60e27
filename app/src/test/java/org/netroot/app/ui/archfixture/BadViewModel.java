package org.netroot.app.ui.archfixture;

import javafx.scene.control.Label;

/** Deliberately wrong (ArchitectureTest proves its rules catch it): a view-model holding a node. */
public final class BadViewModel {
    final Label title = new Label();
}
