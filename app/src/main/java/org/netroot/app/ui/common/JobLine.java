package org.netroot.app.ui.common;

import java.util.function.LongConsumer;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.netroot.server.api.Job;

/** One running job as a line: what it does, a progress bar, bytes done of total, Cancel (volume jobs, asset adds). */
public final class JobLine {
    private JobLine() {
    }

    /** {@code idPrefix}: the bar is "PREFIX-progress-ID", the button "PREFIX-cancel-ID"; {@code cancel} gets the job's id. */
    public static HBox of(Job j, String what, String idPrefix, LongConsumer cancel) {
        Label label = new Label(what);
        label.setMinWidth(180);
        ProgressBar bar = new ProgressBar(j.bytesTotal() > 0 ? (double) j.bytesDone() / j.bytesTotal()
                : ProgressBar.INDETERMINATE_PROGRESS);
        bar.setId(idPrefix + "-progress-" + j.id());
        bar.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(bar, Priority.ALWAYS);
        Label done = new Label(Formats.bytes(j.bytesDone()) + (j.bytesTotal() > 0 ? " of " + Formats.bytes(j.bytesTotal()) : ""));
        done.setMinWidth(160);
        Button stop = new Button("Cancel");
        stop.setId(idPrefix + "-cancel-" + j.id());
        stop.setOnAction(e -> {
            stop.setDisable(true);
            cancel.accept(j.id());
        });
        HBox line = new HBox(10, label, bar, done, stop);
        line.setAlignment(Pos.CENTER_LEFT);
        return line;
    }
}
