package org.netroot.app.ui.volumes;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.Test;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.RawInitiator;
import org.netroot.server.api.Client;
import org.netroot.server.api.Snapshot;
import org.netroot.server.api.Volume;
import org.netroot.server.iscsi.IscsiService;
import org.testfx.api.FxRobot;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.netroot.app.ui.volumes.VolumesTableRobot.WAIT;

/**
 * Snapshots in the Volumes view, driven like a user against a real server on loopback: take one
 * while a real iSCSI session has the volume open, roll back (refused while it is logged in, then
 * done: the bytes written since are gone), remove, and the dialog following changes made elsewhere.
 */
class VolumesSnapshotsViewTest extends VolumesViewTestBase {
    private List<String> apiSnapshots(String volume) {
        return api.snapshots(volume).stream().map(Snapshot::name).toList();
    }

    @SuppressWarnings("unchecked")
    private static TableView<Snapshot> dialogTable(FxRobot robot) {
        return (TableView<Snapshot>) robot.lookup("#snapshots-table").queryAs(TableView.class);
    }

    /** The snapshots the open dialog lists, by name, read on the FX thread. */
    private static List<String> listed(FxRobot robot) {
        return Fx.get(() -> names(robot));
    }

    /** As {@link #listed}, on the FX thread already (inside Fx.await conditions). */
    private static List<String> names(FxRobot robot) {
        return dialogTable(robot).getItems().stream().map(Snapshot::name).toList();
    }

    /** Clicks {@code name}'s row in the dialog's list (not the volumes table's snapshots column, which may say the same). */
    private static void pick(FxRobot robot, String name) {
        Fx.await(WAIT, name + " drawn in the dialog", () -> robot.from(dialogTable(robot)).lookup(".table-cell")
                .match((Node n) -> n instanceof Labeled l && name.equals(l.getText())).tryQuery().isPresent());
        robot.clickOn(robot.from(dialogTable(robot)).lookup(".table-cell")
                .match((Node n) -> n instanceof Labeled l && name.equals(l.getText())).queryAs(Node.class));
        Fx.await(WAIT, name + " selected", () -> {
            Snapshot s = dialogTable(robot).getSelectionModel().getSelectedItem();
            return s != null && s.name().equals(name);
        });
    }

    private static boolean disabled(FxRobot robot, String id) {
        return Fx.get(() -> robot.lookup(id).queryButton().isDisabled());
    }

    private RawInitiator loggedIn(VolumesTableRobot t, Client pc, String volume) throws Exception {
        int port = server.server().service(IscsiService.class).port();
        RawInitiator session = RawInitiator.login(port, pc.initiatorIqn(), pc.targetIqn());
        session.read(0, 8);
        Fx.await(WAIT, "the row shows " + pc.name() + " attached", () -> t.row(volume)
                .map(r -> pc.name().equals(r.clientName())).orElse(false));
        return session;
    }

    private static byte[] block(int fill) {
        byte[] b = new byte[4096];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    @Test
    void aSnapshotTakenWhileThePcRunsShowsInTheDialogTheColumnAndTheApi(FxRobot robot) throws Exception {
        VolumesTableRobot t = new VolumesTableRobot(robot);
        api.createVolume("scratch", 4 * MIB, Volume.RAW);
        api.createVolume("base", 4 * MIB);
        api.makeGolden("base");
        api.createVolume("pc1-disk", 4 * MIB);
        Fx.await(WAIT, "every volume in the table", () -> t.row("pc1-disk").isPresent() && t.row("base")
                .map(VolumeRow::golden).orElse(false));
        t.select("scratch");
        assertTrue(disabled(robot, "#volume-snapshots"), "a raw volume has no snapshots");
        t.select("base");
        assertTrue(disabled(robot, "#volume-snapshots"), "a golden image never changes: its overlays are snapshot");
        Client pc = api.addClient(Client.sanboot("pc1", "52:54:00:00:00:01", "pc1-disk"));
        try (RawInitiator session = loggedIn(t, pc, "pc1-disk")) {
            t.select("pc1-disk");
            assertTrue(!disabled(robot, "#volume-snapshots"), "a qcow2 volume has snapshots");
            robot.clickOn("#volume-snapshots");
            assertEquals(List.of(), listed(robot), "none yet");

            robot.clickOn("#snapshot-take");
            assertEquals("before-update", Fx.get(() -> robot.lookup("#snapshot-new-name").queryTextInputControl().getText()),
                    "a name is suggested");
            String hint = Fx.get(() -> robot.lookup("#snapshot-new-hint").queryAs(Label.class).getText());
            assertTrue(hint.contains("pc1 is running: that is fine"), hint);
            robot.clickOn("#snapshot-new-apply");
            Fx.await(WAIT, "the take dialog closed", () -> robot.lookup("#snapshot-new-apply").tryQuery().isEmpty());

            Fx.await(WAIT, "the dialog lists it", () -> names(robot).equals(List.of("before-update")));
            assertEquals(List.of("before-update"), apiSnapshots("pc1-disk"), "the API lists it");
            Fx.await(WAIT, "the column shows it", () -> t.cell("before-update").tryQuery().isPresent());
            TableCell<?, ?> cell = robot.from(t.table()).lookup((Node n) -> n instanceof TableCell<?, ?> c
                    && "before-update".equals(c.getText())).queryAs(TableCell.class);
            assertEquals("volumes-col-snapshots", Fx.get(() -> cell.getTableColumn().getId()));
            assertEquals("Snapshots, oldest first:\nbefore-update", Fx.get(() -> cell.getTooltip().getText()));
            Snapshot taken = Fx.get(() -> dialogTable(robot).getItems().get(0));
            assertEquals(4 * MIB, taken.sizeBytes());

            robot.clickOn("#snapshot-take");
            assertEquals("before-update-2", Fx.get(() -> robot.lookup("#snapshot-new-name").queryTextInputControl().getText()),
                    "the suggestion is not one there is");
            Fx.run(() -> robot.lookup("#snapshot-new-name").queryTextInputControl().setText("before-update"));
            Fx.await(WAIT, "a name there is cannot be taken again", () -> robot.lookup("#snapshot-new-apply").queryButton().isDisabled()
                    && robot.lookup("#snapshot-new-hint").queryAs(Label.class).getText().contains("before-update is taken"));
            Fx.run(() -> robot.lookup("#snapshot-new-name").queryTextInputControl().setText("no spaces"));
            Fx.await(WAIT, "nor one the server would refuse", () -> robot.lookup("#snapshot-new-apply").queryButton().isDisabled()
                    && robot.lookup("#snapshot-new-hint").queryAs(Label.class).getText().startsWith("Use letters, digits"));
            robot.clickOn("#snapshot-new-cancel");
            robot.clickOn("#snapshots-close");
            assertEquals(8 * 512, session.read(0, 8).length, "the session goes on");
        }
        assertEquals(List.of("before-update"), apiSnapshots("pc1-disk"));
    }

    @Test
    void rollBackIsRefusedInTheServersWordsWhileThePcIsLoggedInThenThrowsAwayWhatWasWrittenSince(FxRobot robot)
            throws Exception {
        VolumesTableRobot t = new VolumesTableRobot(robot);
        api.createVolume("pc1-disk", 4 * MIB);
        Client pc = api.addClient(Client.sanboot("pc1", "52:54:00:00:00:01", "pc1-disk"));
        try (RawInitiator session = loggedIn(t, pc, "pc1-disk")) {
            session.write(16, block(0xa1));
            api.createSnapshot("pc1-disk", "good");
            session.write(16, block(0xb2)); // after the snapshot: what a roll back throws away
            t.select("pc1-disk");
            robot.clickOn("#volume-snapshots");
            pick(robot, "good");
            robot.clickOn("#snapshot-rollback");
            String text = Fx.get(() -> robot.lookup("#rollback-text").queryAs(Label.class).getText());
            Snapshot good = api.snapshots("pc1-disk").get(0);
            assertTrue(text.startsWith("Everything written to pc1-disk since " + VolumesTable.when(good.takenAt()) + " is gone"),
                    text);
            assertTrue(text.contains("pc1 has it open: shut it down first"), text);
            robot.clickOn("#rollback-apply");
            Fx.await(WAIT, "the server's refusal is shown in the dialog", () -> {
                Label error = robot.lookup("#rollback-error").queryAs(Label.class);
                return error.isVisible() && error.getText().contains("in use by client pc1")
                        && error.getText().contains("shut it down first, then roll it back");
            });
            robot.clickOn("#rollback-cancel");
            assertArrayEquals(block(0xb2), session.read(16, 8), "nothing rolled back under the running PC");
        }
        Fx.await(WAIT, "the row shows pc1 gone", () -> t.row("pc1-disk").map(r -> !r.attached()).orElse(false));
        robot.clickOn("#snapshot-rollback");
        robot.clickOn("#rollback-apply");
        Fx.await(WAIT, "with the PC gone the roll back is done", () -> robot.lookup("#rollback-apply").tryQuery().isEmpty());
        assertEquals(List.of("good"), listed(robot), "the snapshot stays");
        assertEquals(List.of("good"), apiSnapshots("pc1-disk"));
        robot.clickOn("#snapshots-close");
        try (RawInitiator session = RawInitiator.login(server.server().service(IscsiService.class).port(),
                pc.initiatorIqn(), pc.targetIqn())) {
            assertArrayEquals(block(0xa1), session.read(16, 8), "the disk reads as when the snapshot was taken");
        }
    }

    @Test
    void removeTakesASnapshotOffTheListAndTheListFollowsChangesMadeElsewhere(FxRobot robot) {
        VolumesTableRobot t = new VolumesTableRobot(robot);
        api.createVolume("pc1-disk", 4 * MIB);
        api.createSnapshot("pc1-disk", "first");
        api.createSnapshot("pc1-disk", "second");
        Fx.await(WAIT, "the column counts them", () -> t.cell("2: first, second").tryQuery().isPresent());
        t.select("pc1-disk");
        robot.clickOn("#volume-snapshots");
        Fx.await(WAIT, "the dialog lists both, oldest first", () -> names(robot).equals(List.of("first", "second")));
        assertTrue(disabled(robot, "#snapshot-remove") && disabled(robot, "#snapshot-rollback"), "nothing picked yet");

        pick(robot, "first");
        robot.clickOn("#snapshot-remove");
        String text = Fx.get(() -> robot.lookup("#snapshot-remove-text").queryAs(Label.class).getText());
        assertTrue(text.startsWith("pc1-disk stays as it is now"), text);
        robot.clickOn("#snapshot-remove-apply");
        Fx.await(WAIT, "the confirmation closed", () -> robot.lookup("#snapshot-remove-apply").tryQuery().isEmpty());
        Fx.await(WAIT, "gone from the dialog", () -> names(robot).equals(List.of("second")));
        assertEquals(List.of("second"), apiSnapshots("pc1-disk"), "gone from the API");
        Fx.await(WAIT, "the column follows", () -> t.row("pc1-disk").map(VolumeRow::snapshotsText).orElse("")
                .equals("second") && t.cell("second").tryQuery().isPresent());

        api.createSnapshot("pc1-disk", "from-the-cli");
        Fx.await(WAIT, "a snapshot taken elsewhere appears in the open dialog",
                () -> names(robot).equals(List.of("second", "from-the-cli")));
        api.removeSnapshot("pc1-disk", "second");
        Fx.await(WAIT, "one removed elsewhere goes", () -> names(robot).equals(List.of("from-the-cli")));
        robot.clickOn("#snapshots-close");
    }
}
