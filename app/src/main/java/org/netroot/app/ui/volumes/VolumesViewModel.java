package org.netroot.app.ui.volumes;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.netroot.app.model.AppModel;
import org.netroot.app.ui.common.Background;
import org.netroot.server.api.Job;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.Volume;
import org.netroot.server.api.VolumeActivity;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The Volumes view's state: one row per volume joined with its live activity, kept current from
 * the app model (which follows the change stream), the running import/export jobs, and the actions,
 * each run off the FX thread. No scene imports: unit-tested without a screen. FX thread only.
 */
public final class VolumesViewModel {
    private final AppModel model;
    private final ObservableList<VolumeEntry> entries = FXCollections.observableArrayList();
    private final FilteredList<Job> runningJobs;
    private final StringProperty error = new SimpleStringProperty();
    private final Set<Long> startedJobs = new HashSet<>();

    public VolumesViewModel(AppModel model) {
        this.model = model;
        this.runningJobs = new FilteredList<>(model.jobs(), j -> !j.ended());
        model.volumes().addListener((ListChangeListener<Volume>) c -> refreshRows());
        model.volumeActivity().addListener((ListChangeListener<VolumeActivity>) c -> refreshRows());
        model.jobs().addListener((ListChangeListener<Job>) c -> reportEndedJobs());
        refreshRows();
    }

    /**
     * One entry per volume, in the server's order. An entry stays while its volume exists (its row
     * changes inside it), so the list itself changes only when volumes come or go.
     */
    public ObservableList<VolumeEntry> entries() {
        return entries;
    }

    /** Imports and exports still running (bytes done of total; cancel by id). */
    public ObservableList<Job> runningJobs() {
        return runningJobs;
    }

    /** The last action's failure in the server's words (null when the last one succeeded). */
    public StringProperty error() {
        return error;
    }

    public Optional<VolumeRow> row(String name) {
        return entry(name).map(VolumeEntry::row);
    }

    public Optional<VolumeEntry> entry(String name) {
        return entries.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    private void refreshRows() {
        Map<String, VolumeActivity> activity = new HashMap<>();
        for (VolumeActivity a : model.volumeActivity()) activity.put(a.volumeName(), a);
        Map<String, VolumeEntry> existing = new HashMap<>();
        for (VolumeEntry e : entries) existing.put(e.name(), e);
        List<VolumeEntry> next = new java.util.ArrayList<>();
        for (Volume v : model.volumes()) {
            VolumeRow row = VolumeRow.of(v, activity.get(v.name()));
            VolumeEntry e = existing.get(v.name());
            if (e == null) e = new VolumeEntry(row);
            else e.update(row);
            next.add(e);
        }
        // only when volumes came or went: an order the user sorted the table into stays
        if (!new HashSet<>(next).equals(new HashSet<>(entries))) entries.setAll(next);
    }

    private void reportEndedJobs() {
        for (Job j : model.jobs()) {
            if (!j.ended() || !startedJobs.remove(j.id())) continue;
            if (j.state() == Job.State.FAILED) error.set(j.message());
        }
    }

    // ---- actions: each asks the server off the FX thread, then calls back on it ----

    public void create(String name, long sizeBytes, Consumer<Volume> done, Consumer<String> failed) {
        call(c -> c.createVolume(name, sizeBytes), done, failed);
    }

    public void resize(String name, long sizeBytes, boolean allowShrink, Consumer<Volume> done, Consumer<String> failed) {
        call(c -> c.resizeVolume(name, sizeBytes, allowShrink), done, failed);
    }

    /** Removes a volume; the server's refusal (a client's disk) lands in {@link #error()}. */
    public void remove(String name) {
        call(c -> {
            c.removeVolume(name);
            return name;
        }, removed -> { }, error::set);
    }

    public void startImport(String name, String imagePath, Consumer<Job> started, Consumer<String> failed) {
        call(c -> c.startImport(name, imagePath), j -> track(j, started), failed);
    }

    public void startExport(String name, String targetPath, Consumer<Job> started, Consumer<String> failed) {
        call(c -> c.startExport(name, targetPath), j -> track(j, started), failed);
    }

    public void cancel(long jobId) {
        call(c -> c.cancelJob(jobId), j -> { }, error::set);
    }

    private void track(Job j, Consumer<Job> started) {
        startedJobs.add(j.id());
        reportEndedJobs();
        started.accept(j);
    }

    private <T> void call(Function<NetrootControl, T> work, Consumer<T> done, Consumer<String> failed) {
        NetrootControl c = model.control();
        if (c == null) {
            failed.accept("Not attached to a data folder yet");
            return;
        }
        Callable<T> task = () -> work.apply(c);
        Background.run(model.io(), task, r -> {
            error.set(null);
            done.accept(r);
        }, failed);
    }
}
