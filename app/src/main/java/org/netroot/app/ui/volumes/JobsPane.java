package org.netroot.app.ui.volumes;

import javafx.collections.ListChangeListener;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.netroot.app.ui.common.Formats;
import org.netroot.server.api.Job;

/** One line per running import, export or promotion: what, a progress bar, bytes done of total, Cancel. Live from JOB_PROGRESS. */
final class JobsPane extends VBox {
    private final VolumesViewModel viewModel;

    JobsPane(VolumesViewModel viewModel) {
        super(6);
        this.viewModel = viewModel;
        setId("volume-jobs");
        managedProperty().bind(visibleProperty());
        viewModel.runningJobs().addListener((ListChangeListener<Job>) c -> rebuild());
        rebuild();
    }

    private void rebuild() {
        getChildren().setAll(viewModel.runningJobs().stream().map(this::line).toList());
        setVisible(!getChildren().isEmpty());
    }

    private HBox line(Job j) {
        Label what = new Label(switch (j.kind()) {
            case IMPORT -> "Importing ";
            case EXPORT -> "Exporting ";
            case PROMOTE -> "Promoting to ";
            case ADD_ASSET -> "Adding asset ";
        } + j.subject());
        what.setMinWidth(180);
        ProgressBar bar = new ProgressBar(j.bytesTotal() > 0 ? (double) j.bytesDone() / j.bytesTotal()
                : ProgressBar.INDETERMINATE_PROGRESS);
        bar.setId("job-progress-" + j.id());
        bar.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(bar, Priority.ALWAYS);
        Label done = new Label(Formats.bytes(j.bytesDone()) + (j.bytesTotal() > 0 ? " of " + Formats.bytes(j.bytesTotal()) : ""));
        done.setMinWidth(160);
        Button cancel = new Button("Cancel");
        cancel.setId("job-cancel-" + j.id());
        cancel.setOnAction(e -> {
            cancel.setDisable(true);
            viewModel.cancel(j.id());
        });
        HBox line = new HBox(10, what, bar, done, cancel);
        line.setAlignment(Pos.CENTER_LEFT);
        return line;
    }
}
