package org.netroot.app.ui.volumes;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.netroot.app.model.AppModel;
import org.netroot.app.ui.common.Background;
import org.netroot.server.api.DiskSpace;
import org.netroot.server.api.Job;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.api.Snapshot;
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
 * the app model (which follows the change stream), the running jobs (import, export, promote), the
 * data folder's free space, and the actions, each run off the FX thread. No scene imports:
 * unit-tested without a screen. FX thread only.
 */
public final class VolumesViewModel {
    private final AppModel model;
    private final ObservableList<VolumeEntry> entries = FXCollections.observableArrayList();
    private final FilteredList<Job> runningJobs;
    private final StringProperty error = new SimpleStringProperty();
    private final Set<Long> startedJobs = new HashSet<>();
    private final ReadOnlyObjectWrapper<DiskSpace> diskSpace = new ReadOnlyObjectWrapper<>();
    /** A free-space read is on its way; {@link #diskSpaceStale} asks for one more once it is back. */
    private boolean readingDiskSpace;
    private boolean diskSpaceStale;
    private long lastDiskSpaceRead;
    private final ReadOnlyBooleanWrapper overcommitted = new ReadOnlyBooleanWrapper();

    public VolumesViewModel(AppModel model) {
        this.model = model;
        this.runningJobs = new FilteredList<>(model.jobs(), j -> !j.ended());
        model.volumes().addListener((ListChangeListener<Volume>) c -> {
            refreshRows();
            refreshDiskSpace(); // a volume came, went, grew or was reset: the disk's free space moved
        });
        model.volumeActivity().addListener((ListChangeListener<VolumeActivity>) c -> {
            refreshRows();
            refreshDiskSpaceSoon(); // clients writing fill the disk
        });
        model.status().addListener((o, a, b) -> refreshDiskSpaceSoon()); // set on each attach (another data folder)
        model.jobs().addListener((ListChangeListener<Job>) c -> reportEndedJobs());
        diskSpace.addListener((o, a, b) -> checkOvercommit());
        refreshRows();
        refreshDiskSpace();
    }

    static final long DISK_SPACE_WHILE_WRITING_MS = 5_000;

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

    /** The disk holding the data folder's volumes (null until first read). */
    public ReadOnlyObjectProperty<DiskSpace> diskSpace() {
        return diskSpace.getReadOnlyProperty();
    }

    /** True while the writable volumes could together grow past the data folder's free space (sparse: allowed). */
    public ReadOnlyBooleanProperty overcommitted() {
        return overcommitted.getReadOnlyProperty();
    }

    private void checkOvercommit() {
        overcommitted.set(FreeSpace.overcommitted(entries.stream().map(VolumeEntry::row).toList(), diskSpace.get()));
    }

    /**
     * Reads the data folder's free space again, off the FX thread: when volumes change, while clients
     * write, and when a dialog that sizes a volume opens. One read at a time; a failed read keeps the
     * last value (the view says nothing about it: the actions report the server's trouble).
     */
    public void refreshDiskSpace() {
        NetrootControl c = model.control();
        if (c == null) return;
        if (readingDiskSpace) {
            diskSpaceStale = true;
            return;
        }
        readingDiskSpace = true;
        lastDiskSpaceRead = System.currentTimeMillis();
        Background.run(model.io(), c::diskSpace, s -> {
            diskSpace.set(s);
            diskSpaceRead();
        }, why -> diskSpaceRead());
    }

    /** As {@link #refreshDiskSpace()}, at most once per {@link #DISK_SPACE_WHILE_WRITING_MS}: for frequent causes. */
    private void refreshDiskSpaceSoon() {
        if (System.currentTimeMillis() - lastDiskSpaceRead > DISK_SPACE_WHILE_WRITING_MS) refreshDiskSpace();
    }

    private void diskSpaceRead() {
        readingDiskSpace = false;
        if (diskSpaceStale) {
            diskSpaceStale = false;
            refreshDiskSpace();
        }
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
        checkOvercommit();
    }

    private void reportEndedJobs() {
        for (Job j : model.jobs()) {
            if (!j.ended() || !startedJobs.remove(j.id())) continue;
            if (j.state() == Job.State.FAILED) error.set(j.message());
        }
    }

    // ---- actions: each asks the server off the FX thread, then calls back on it ----

    /** A blank volume of {@code format} ({@link Volume#QCOW2} or {@link Volume#RAW}; null: the server's default). */
    public void create(String name, long sizeBytes, String format, Consumer<Volume> done, Consumer<String> failed) {
        create(name, sizeBytes, format, false, done, failed);
    }

    /**
     * A blank volume, {@code shared} by several clients or not. A volume that cannot be shared is
     * removed again, so the user can try again with the same name.
     */
    public void create(String name, long sizeBytes, String format, boolean shared, Consumer<Volume> done,
                       Consumer<String> failed) {
        call(c -> {
            Volume v = c.createVolume(name, sizeBytes, format);
            if (!shared) return v;
            try {
                return c.shareVolume(v.name(), true);
            } catch (RuntimeException e) {
                removeQuietly(c, v.name());
                throw e;
            }
        }, done, failed);
    }

    /** Shares a volume or stops sharing it; refused (in the server's words) while a client has it open. */
    public void share(String name, boolean shared, Consumer<Volume> done, Consumer<String> failed) {
        call(c -> c.shareVolume(name, shared), done, failed);
    }

    private static void removeQuietly(NetrootControl c, String volume) {
        try {
            c.removeVolume(volume);
        } catch (RuntimeException ignored) {
            // the user sees why sharing failed; a blank volume left over shows in the table
        }
    }

    /** Makes a volume a read-only golden image; refused (in the server's words) while a client has it open. */
    public void makeGolden(String name, Consumer<Volume> done, Consumer<String> failed) {
        call(c -> c.makeGolden(name), done, failed);
    }

    /** A new overlay {@code newName} of the golden image {@code golden}, made at once. */
    public void cloneVolume(String golden, String newName, Consumer<Volume> done, Consumer<String> failed) {
        call(c -> c.cloneVolume(golden, newName), done, failed);
    }

    /** Throws an overlay's writes away; refused (in the server's words) while its client has it open. */
    public void reset(String name, Consumer<Volume> done, Consumer<String> failed) {
        call(c -> c.resetVolume(name), done, failed);
    }

    /** Starts copying an overlay into a new golden image; the job shows in {@link #runningJobs()}. */
    public void startPromote(String overlay, String newName, Consumer<Job> started, Consumer<String> failed) {
        call(c -> c.startPromote(overlay, newName), j -> track(j, started), failed);
    }

    /** The qcow2 volume's snapshots (name, when taken, size), oldest first. */
    public void snapshots(String volume, Consumer<List<Snapshot>> done, Consumer<String> failed) {
        NetrootControl c = model.control();
        if (c == null) {
            failed.accept("Not attached to a data folder yet");
            return;
        }
        // a read, not an action: it leaves the view's last error as it is
        Background.run(model.io(), () -> c.snapshots(volume), done, failed);
    }

    /** Takes a snapshot of the volume as it is now; also while its client runs. */
    public void takeSnapshot(String volume, String snapshot, Consumer<Volume> done, Consumer<String> failed) {
        call(c -> c.createSnapshot(volume, snapshot), done, failed);
    }

    /** Rolls the volume back to a snapshot; refused (in the server's words) while its client has it open. */
    public void rollback(String volume, String snapshot, Consumer<Volume> done, Consumer<String> failed) {
        call(c -> c.rollbackVolume(volume, snapshot), done, failed);
    }

    public void removeSnapshot(String volume, String snapshot, Consumer<Volume> done, Consumer<String> failed) {
        call(c -> c.removeSnapshot(volume, snapshot), done, failed);
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
