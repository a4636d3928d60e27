package org.netroot.app.ui.volumes;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;

/**
 * One volume's place in the table: the same object for as long as the volume exists, its
 * {@link VolumeRow} replaced as live updates arrive. The table's items stay put, so a selection,
 * focus or a click in progress survives the once-a-second activity updates.
 */
public final class VolumeEntry {
    private final String name;
    private final ReadOnlyObjectWrapper<VolumeRow> row;

    VolumeEntry(VolumeRow row) {
        this.name = row.name();
        this.row = new ReadOnlyObjectWrapper<>(row);
    }

    public String name() {
        return name;
    }

    public VolumeRow row() {
        return row.get();
    }

    public ReadOnlyObjectProperty<VolumeRow> rowProperty() {
        return row.getReadOnlyProperty();
    }

    void update(VolumeRow next) {
        if (!next.equals(row.get())) row.set(next);
    }
}
