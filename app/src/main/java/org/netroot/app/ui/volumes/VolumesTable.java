package org.netroot.app.ui.volumes;

import javafx.beans.binding.Bindings;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.feather.Feather;
import org.netroot.app.ui.common.Columns;
import org.netroot.app.ui.common.Formats;
import org.netroot.app.ui.common.Icons;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.List;
import java.util.function.Function;

/**
 * The volumes as a sortable table: name, golden image or overlay (a badge), shared (a badge), format,
 * virtual size, space on disk, snapshots (a tooltip lists them), attached client, I/O rate, created.
 */
final class VolumesTable extends TableView<VolumeEntry> {
    /** In sentences (a snapshot's time in a dialog): "Dec 1, 2026, 5:33 PM". */
    private static final DateTimeFormatter WHEN =
            DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withZone(ZoneId.systemDefault());
    /** In the Created column, where width is short: "12/1/26, 5:33 PM". */
    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT).withZone(ZoneId.systemDefault());

    VolumesTable(VolumesViewModel viewModel) {
        super(viewModel.entries());
        setId("volumes-table");
        setColumnResizePolicy(CONSTRAINED_RESIZE_POLICY_ALL_COLUMNS);
        setPlaceholder(new Label("No volumes yet: create one, or import a disk image"));
        // preferred widths share the window's 1200 px between what each column usually holds, and every
        // column grows and shrinks in proportion; the minimums keep headers, sizes and times whole
        String size = "999.9 GiB";
        getColumns().add(wide(column("Name", "name", VolumeRow::name), 150));
        getColumns().add(wide(badge(column("Image", "kind", VolumeRow::kind)), 175));
        getColumns().add(wide(sharedBadge(column("Sharing", "shared", VolumeRow::sharedText)), 90));
        getColumns().add(wide(column("Format", "format", VolumeRow::format), 70));
        getColumns().add(Columns.fits(shown(column("Size", "size", VolumeRow::sizeBytes), Formats::bytes), size));
        getColumns().add(Columns.fits(shown(column("On disk", "used", VolumeRow::usedBytes), Formats::bytes), size));
        getColumns().add(wide(snapshots(column("Snapshots", "snapshots", VolumeRow::snapshots)), 115));
        // the client that has the volume open now (the Clients view says which client a volume belongs to)
        getColumns().add(wide(column("In use by", "client", r -> r.clientName() == null ? "" : r.clientName()), 90));
        getColumns().add(column("I/O", "io", VolumesTable::io));
        // the widest a creation time gets in this locale: two-digit month, day and hour
        String widest = CREATED.format(java.time.LocalDateTime.of(2026, 12, 28, 22, 58).atZone(ZoneId.systemDefault()));
        getColumns().add(Columns.fits(shown(column("Created", "created", VolumeRow::createdAt), CREATED::format), widest));
    }

    private static <T> TableColumn<VolumeEntry, T> wide(TableColumn<VolumeEntry, T> c, double preferred) {
        c.setPrefWidth(Math.max(preferred, c.getMinWidth()));
        return c;
    }

    /** An instant as people read it here (local time, medium length): created, snapshot taken. */
    static String when(java.time.Instant t) {
        return WHEN.format(t);
    }

    /** "read 12 MiB/s, write 1 MiB/s"; blank when idle. */
    static String io(VolumeRow r) {
        if (r.readBytesPerSecond() <= 0 && r.writeBytesPerSecond() <= 0) return r.attached() ? "idle" : "";
        return "read " + Formats.rate(r.readBytesPerSecond()) + ", write " + Formats.rate(r.writeBytesPerSecond());
    }

    /** A column following its entry's row: the cell updates when the row does, the entry stays. */
    private static <T> TableColumn<VolumeEntry, T> column(String title, String id, Function<VolumeRow, T> value) {
        TableColumn<VolumeEntry, T> c = new TableColumn<>(title);
        c.setId("volumes-col-" + id);
        c.setCellValueFactory(f -> Bindings.createObjectBinding(() -> value.apply(f.getValue().row()),
                f.getValue().rowProperty()));
        return Columns.headerFits(c);
    }

    /**
     * The image column as a badge: "Golden image" (read-only, the source of overlays) or "overlay of X";
     * blank for a volume that stands alone. The cell's text stays set too (hidden), for sorting and tests.
     */
    private static TableColumn<VolumeEntry, String> badge(TableColumn<VolumeEntry, String> c) {
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            private final Label badge = new Label();
            private final Tooltip what = new Tooltip();

            {
                what.setWrapText(true);
                what.setMaxWidth(360);
                badge.getStyleClass().add("volume-badge");
                setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                boolean show = !empty && item != null && !item.isEmpty();
                setText(show ? item : null);
                badge.setText(item);
                badge.getStyleClass().removeAll("golden", "overlay");
                if (show) badge.getStyleClass().add(item.equals(VolumeRow.GOLDEN_BADGE) ? "golden" : "overlay");
                setGraphic(show ? badge : null);
                what.setText(show ? imageTooltip(item) : "");
                setTooltip(show ? what : null); // the column may cut a long golden image's name
            }
        });
        return c;
    }

    /** The image badge's tooltip: what the badge means, with the whole name the column may cut. */
    static String imageTooltip(String kind) {
        if (kind.equals(VolumeRow.GOLDEN_BADGE)) {
            return "Golden image: read-only; overlays start from it and keep only their own changes";
        }
        return kind.substring(0, 1).toUpperCase() + kind.substring(1)
                + ": reads what it has not changed from that golden image, and writes only to itself";
    }

    /**
     * The sharing column: a "Shared" badge (an icon, not only a colour) whose tooltip says what sharing
     * means and that it is for cluster file systems only; blank for a volume with one user at a time.
     * The cell's text stays set too (hidden), for sorting and tests.
     */
    private static TableColumn<VolumeEntry, String> sharedBadge(TableColumn<VolumeEntry, String> c) {
        c.setMinWidth(100); // the whole badge, icon and word
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            private final Label badge = new Label(SharedVolumeText.BADGE, Icons.of(Feather.USERS, 12));
            private final Tooltip why = new Tooltip(SharedVolumeText.TOOLTIP);

            {
                badge.getStyleClass().addAll("volume-badge", "shared");
                badge.setMinWidth(Region.USE_PREF_SIZE);
                why.setWrapText(true);
                why.setMaxWidth(360);
                setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
            }

            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                boolean show = !empty && item != null && !item.isEmpty();
                setText(show ? item : null);
                setGraphic(show ? badge : null);
                setTooltip(show ? why : null);
            }
        });
        return c;
    }

    /**
     * The snapshots column: none, the one's name, or "3: a, b, c" (oldest first); every name in a
     * tooltip too, as the column may cut them. Sorted by how many.
     */
    private static TableColumn<VolumeEntry, List<String>> snapshots(TableColumn<VolumeEntry, List<String>> c) {
        c.setComparator(java.util.Comparator.comparingInt(List::size));
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            private final Tooltip names = new Tooltip();

            @Override
            protected void updateItem(List<String> item, boolean empty) {
                super.updateItem(item, empty);
                boolean any = !empty && item != null && !item.isEmpty();
                setText(any ? VolumeRow.snapshotsText(item) : null);
                names.setText(any ? "Snapshots, oldest first:\n" + String.join("\n", item) : "");
                setTooltip(any ? names : null);
            }
        });
        return c;
    }

    /** A column sorted by its values (bytes, instants) but showing them as people read them. */
    private static <T> TableColumn<VolumeEntry, T> shown(TableColumn<VolumeEntry, T> c, Function<T, String> text) {
        c.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(T item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty || item == null ? null : text.apply(item));
            }
        });
        return c;
    }
}
