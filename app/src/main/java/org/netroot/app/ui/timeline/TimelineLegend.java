package org.netroot.app.ui.timeline;

import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.shape.Rectangle;

/** A swatch and name for each phase colour. */
final class TimelineLegend extends FlowPane {
    TimelineLegend() {
        super(12, 4);
        setId("timeline-legend");
        getStyleClass().add("timeline-legend");
        for (BootPhase p : BootPhase.values()) {
            Label l = new Label(p.label(), new Rectangle(12, 12, PhaseColors.of(p)));
            l.getStyleClass().add("text-small");
            getChildren().add(l);
        }
    }
}
