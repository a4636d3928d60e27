package org.netroot.app.ui.volumes;

import javafx.collections.ListChangeListener;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.netroot.app.ui.common.JobLine;
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
        String what = switch (j.kind()) {
            case IMPORT -> "Importing ";
            case EXPORT -> "Exporting ";
            case PROMOTE -> "Promoting to ";
            case ADD_ASSET -> "Adding asset ";
        } + j.subject();
        return JobLine.of(j, what, "job", viewModel::cancel);
    }
}
