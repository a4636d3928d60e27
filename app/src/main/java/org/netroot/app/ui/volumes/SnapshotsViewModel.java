package org.netroot.app.ui.volumes;

import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ChangeListener;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.netroot.server.api.Snapshot;
import org.netroot.server.api.Volume;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * One volume's snapshots for the Snapshots dialog: the list (name, when taken, size) read from the
 * server, and read again whenever the volume's snapshot names change on the live stream, whoever
 * changed them (this dialog, the command line, another app). The actions run off the FX thread
 * through {@link VolumesViewModel}. No scene imports. FX thread only; {@link #close()} when done.
 */
public final class SnapshotsViewModel {
    /** What "Take snapshot" suggests first; "before-update-2" and so on once that is taken. */
    static final String SUGGESTED_NAME = "before-update";
    private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,63}";

    private final VolumesViewModel volumes;
    private final String volume;
    private final ObservableList<Snapshot> snapshots = FXCollections.observableArrayList();
    private final StringProperty error = new SimpleStringProperty();
    private final ReadOnlyObjectWrapper<VolumeRow> row = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyBooleanWrapper gone = new ReadOnlyBooleanWrapper();
    private final ListChangeListener<VolumeEntry> onEntries = c -> follow();
    private final ChangeListener<VolumeRow> onRow = (o, a, b) -> rowChanged(b);
    private VolumeEntry entry;
    /** Each read counts up; an answer to an older read than the last is dropped (the list moved on since). */
    private long reads;
    private List<String> namesRead;

    SnapshotsViewModel(VolumesViewModel volumes, String volume) {
        this.volumes = volumes;
        this.volume = volume;
        volumes.entries().addListener(onEntries);
        follow(); // reads the list when the volume is there
        if (reads == 0) reload();
    }

    public String volume() {
        return volume;
    }

    /** The snapshots, oldest first, as last read from the server. */
    public ObservableList<Snapshot> snapshots() {
        return snapshots;
    }

    /** Why the list could not be read (null once it was). */
    public StringProperty error() {
        return error;
    }

    /** The volume's row as it is now (its client, its format); null once the volume is gone. */
    public ReadOnlyObjectProperty<VolumeRow> row() {
        return row.getReadOnlyProperty();
    }

    /** True once the volume was removed. */
    public ReadOnlyBooleanProperty gone() {
        return gone.getReadOnlyProperty();
    }

    /** Reads the list from the server again. */
    public void reload() {
        long read = ++reads;
        namesRead = row.get() == null ? null : row.get().snapshots();
        volumes.snapshots(volume, list -> {
            if (read != reads) return;
            error.set(null);
            snapshots.setAll(list);
        }, why -> {
            if (read == reads) error.set(why);
        });
    }

    public void take(String name, Consumer<Volume> done, Consumer<String> refused) {
        volumes.takeSnapshot(volume, name, afterwards(done), refused);
    }

    public void rollback(String name, Consumer<Volume> done, Consumer<String> refused) {
        volumes.rollback(volume, name, afterwards(done), refused);
    }

    public void remove(String name, Consumer<Volume> done, Consumer<String> refused) {
        volumes.removeSnapshot(volume, name, afterwards(done), refused);
    }

    /** The name "Take snapshot" offers: {@link #SUGGESTED_NAME}, numbered past the ones there are. */
    public String suggestedName() {
        Set<String> taken = snapshots.stream().map(Snapshot::name).collect(Collectors.toSet());
        if (row.get() != null) taken.addAll(row.get().snapshots());
        String name = SUGGESTED_NAME;
        for (int n = 2; taken.contains(name); n++) name = SUGGESTED_NAME + "-" + n;
        return name;
    }

    /** What is wrong with {@code name} as a new snapshot's name, in words; null when it will do. */
    public String nameProblem(String name) {
        String n = name == null ? "" : name.strip();
        if (n.isEmpty()) return "Give the snapshot a name, e.g. " + SUGGESTED_NAME + ".";
        if (!n.matches(NAME_PATTERN)) {
            return "Use letters, digits, '.', '_' and '-' only (up to 64, starting with a letter or digit).";
        }
        if (snapshots.stream().anyMatch(s -> s.name().equals(n))) {
            return n + " is taken: pick another name, or remove that snapshot first.";
        }
        return null;
    }

    /** Stops following the volume: the dialog closed. */
    public void close() {
        volumes.entries().removeListener(onEntries);
        if (entry != null) entry.rowProperty().removeListener(onRow);
        entry = null;
    }

    private <T> Consumer<T> afterwards(Consumer<T> done) {
        return v -> {
            reload(); // the live stream says so too; this does not wait for it
            done.accept(v);
        };
    }

    /** Follows the volume's entry: the same one while the volume exists; none once it is removed. */
    private void follow() {
        VolumeEntry now = volumes.entry(volume).orElse(null);
        if (now == entry) return;
        if (entry != null) entry.rowProperty().removeListener(onRow);
        entry = now;
        if (entry == null) {
            row.set(null);
            gone.set(true);
            return;
        }
        gone.set(false);
        entry.rowProperty().addListener(onRow);
        rowChanged(entry.row());
    }

    private void rowChanged(VolumeRow next) {
        row.set(next);
        if (next != null && !next.snapshots().equals(namesRead)) reload();
    }
}
