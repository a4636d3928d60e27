package org.netroot.app.ui.volumes;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.ui.common.Icons;

/**
 * The words under a "shared" check box: what sharing is only for, read before choosing it, and shown
 * as a warning (colour and icon) while the box is ticked.
 */
final class SharedWarning {
    private SharedWarning() {
    }

    static Label under(CheckBox shared, String id) {
        Label warning = new Label(SharedVolumeText.WARNING);
        warning.setId(id);
        warning.setWrapText(true);
        warning.setMinHeight(Region.USE_PREF_SIZE); // all its lines, never an ellipsis
        warning.setMaxWidth(440); // wrapped within a dialog's width, wherever it sits in the form
        warning.setPadding(new Insets(0, 0, 0, 24)); // under the box's text, past the box
        warning.getStyleClass().add(Styles.TEXT_SMALL);
        shared.setTooltip(new Tooltip(SharedVolumeText.TOOLTIP));
        shared.getTooltip().setWrapText(true);
        shared.getTooltip().setMaxWidth(360);
        show(warning, shared.isSelected());
        shared.selectedProperty().addListener((o, was, now) -> show(warning, now));
        return warning;
    }

    private static void show(Label warning, boolean shared) {
        warning.getStyleClass().removeAll(Styles.TEXT_MUTED, Styles.WARNING);
        warning.getStyleClass().add(shared ? Styles.WARNING : Styles.TEXT_MUTED);
        warning.setGraphic(shared ? Icons.of(Feather.ALERT_TRIANGLE) : null);
    }
}
