package org.netroot.app.ui.volumes;

import javafx.scene.Node;
import javafx.scene.control.TableView;
import org.netroot.app.testing.Fx;
import org.testfx.api.FxRobot;
import org.testfx.service.query.NodeQuery;

import java.time.Duration;
import java.util.Optional;

/** The volumes table as the view tests read and click it: rows by name, shown cells, selection. */
final class VolumesTableRobot {
    static final Duration WAIT = Duration.ofSeconds(5);
    private final FxRobot robot;

    VolumesTableRobot(FxRobot robot) {
        this.robot = robot;
    }

    @SuppressWarnings("unchecked")
    TableView<VolumeEntry> table() {
        return (TableView<VolumeEntry>) robot.lookup("#volumes-table").queryAs(TableView.class);
    }

    /** The table's row for {@code name}; on the FX thread (inside Fx.get / Fx.await conditions). */
    Optional<VolumeRow> row(String name) {
        return table().getItems().stream().filter(e -> e.name().equals(name)).findFirst().map(VolumeEntry::row);
    }

    /**
     * Clicks {@code name}'s row until it is selected: a row arriving from the live stream between
     * finding a cell and the click can move the cells (the click then lands on a row's old place),
     * so a click that selected nothing is made again on the cell where it is now (three tries).
     */
    void select(String name) {
        AssertionError last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            Fx.await(WAIT, name + " drawn in the table", () -> cell(name).tryQuery().isPresent());
            robot.clickOn(cell(name).queryAs(Node.class));
            try {
                Fx.await(java.time.Duration.ofSeconds(2), name + " selected", () -> {
                    VolumeEntry e = table().getSelectionModel().getSelectedItem();
                    return e != null && e.name().equals(name);
                });
                return;
            } catch (AssertionError e) {
                last = e;
            }
        }
        throw last;
    }

    /**
     * Reads the shown cell with {@code text} and a graphic (a badge) in one turn of the FX thread, until
     * the read meets {@code expected}. A live-stream update between finding a cell and reading it can give
     * that cell to another row (its text and graphic then cleared), so finding and reading happen
     * together; a cell just reused may not be laid out yet, so a read that misses is made again. Returns
     * the last read (null when no such cell was drawn) once {@link #WAIT} is over: the caller's
     * assertions then say what was wrong.
     */
    <T> T readBadgeCell(String text, java.util.function.Function<javafx.scene.control.TableCell<?, ?>, T> read,
                        java.util.function.Predicate<T> expected) {
        java.util.concurrent.atomic.AtomicReference<T> value = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            Fx.await(WAIT, "the " + text + " badge drawn as expected", () -> cell(text).tryQuery()
                    .map(n -> (javafx.scene.control.TableCell<?, ?>) n)
                    .filter(c -> c.getGraphic() != null)
                    .map(c -> {
                        value.set(read.apply(c));
                        return expected.test(value.get());
                    }).orElse(false));
        } catch (AssertionError timedOut) {
            // the caller's assertions on the last read say what differs
        }
        return value.get();
    }

    /** The shown cell with {@code text} (the table keeps hidden cells for measuring too: those cannot be clicked). */
    NodeQuery cell(String text) {
        return robot.lookup(".table-cell").match((Node n) -> n instanceof javafx.scene.control.Labeled l
                && text.equals(l.getText()) && shown(n));
    }

    private static boolean shown(Node n) {
        for (Node p = n; p != null; p = p.getParent()) if (!p.isVisible()) return false;
        return true;
    }
}
