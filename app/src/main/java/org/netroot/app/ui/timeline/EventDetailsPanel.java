package org.netroot.app.ui.timeline;

import atlantafx.base.theme.Styles;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;

import java.time.ZoneId;

/** Below the lanes: the selected event in full; a failed step shows its reason and fix prominently. */
final class EventDetailsPanel extends VBox {
    private final Label headline = new Label();
    private final Label fix = new Label();
    private final Label body = new Label("Click a bar (or use the arrow keys) to see the step's details.");

    EventDetailsPanel() {
        super(4);
        setId("timeline-details");
        getStyleClass().add("timeline-details");
        headline.setId("timeline-details-headline");
        fix.setId("timeline-details-fix");
        body.setId("timeline-details-body");
        headline.getStyleClass().add(Styles.TITLE_4);
        fix.getStyleClass().add(Styles.WARNING);
        body.getStyleClass().add(Styles.TEXT_MUTED);
        for (Label l : new Label[]{headline, fix, body}) l.setWrapText(true);
        fix.setVisible(false);
        fix.setManaged(false);
        getChildren().addAll(headline, fix, body);
    }

    void show(BootEvent e) {
        headline.getStyleClass().remove(Styles.DANGER);
        if (e == null) {
            headline.setText("");
            setFix("");
            body.setText("Click a bar (or use the arrow keys) to see the step's details.");
            return;
        }
        headline.setText(EventText.headline(e));
        if (e.type() == BootEventType.ERROR) {
            headline.getStyleClass().add(Styles.DANGER);
            FailureExplanation x = BootFailureExplainer.explain(e.detail());
            setFix(x.hasFix() ? "Fix: " + x.fix() : "");
        } else {
            setFix("");
        }
        body.setText(EventText.describe(e, ZoneId.systemDefault(), false));
    }

    private void setFix(String text) {
        fix.setText(text);
        fix.setVisible(!text.isEmpty());
        fix.setManaged(!text.isEmpty());
    }

    String text() {
        return headline.getText() + "\n" + fix.getText() + "\n" + body.getText();
    }
}
