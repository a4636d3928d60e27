package org.netroot.app.ui.volumes;

import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.text.Text;
import org.junit.jupiter.api.Test;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.RawInitiator;
import org.netroot.server.api.Client;
import org.netroot.server.api.Volume;
import org.netroot.server.iscsi.IscsiService;
import org.testfx.api.FxRobot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Volumes view driven like a user, against a real server on loopback and a real iSCSI login. */
class VolumesViewTest extends VolumesViewTestBase {
    static final Duration WAIT = Duration.ofSeconds(5);

    private Optional<VolumeRow> row(FxRobot robot, String name) {
        return new VolumesTableRobot(robot).row(name);
    }

    private long apiSize(String name) {
        Volume v = apiVolume(name);
        return v == null ? -1 : v.sizeBytes();
    }

    private void select(FxRobot robot, String name) {
        new VolumesTableRobot(robot).select(name);
    }

    @Test
    void headersAndCreationTimesAreShownWhole(FxRobot robot) {
        api.createVolume("spare", 8 * MIB, "raw");
        Fx.await(WAIT, "the table shows the volume", () -> row(robot, "spare").isPresent());
        List<String> cut = Fx.get(() -> robot.lookup("#volumes-table .column-header .label").queryAllAs(Label.class)
                .stream()
                .filter(l -> !l.getText().isEmpty())
                .filter(l -> !((Text) l.lookup(".text")).getText().equals(l.getText()))
                .map(l -> l.getText() + " shown as " + ((Text) l.lookup(".text")).getText())
                .toList());
        assertEquals(List.of(), cut, "a header cut to an ellipsis hides what its column holds");
        // on the FX thread (Fx.await and Fx.get run it there)
        java.util.function.Supplier<List<String>> createdCells = () -> robot.lookup("#volumes-table .table-cell")
                .queryAllAs(TableCell.class).stream()
                .filter(c -> c.getTableColumn() != null && "volumes-col-created".equals(c.getTableColumn().getId()))
                .filter(c -> c.getText() != null && !c.getText().isEmpty() && c.lookup(".text") != null)
                .map(c -> c.getText() + " shown as " + ((Text) c.lookup(".text")).getText())
                .toList();
        Fx.await(WAIT, "the creation time is on screen", () -> createdCells.get().size() == 1);
        List<String> created = Fx.get(createdCells);
        assertTrue(created.get(0).matches("(.*) shown as \\1"), "the creation time is shown whole: " + created);
    }

    @Test
    void theResizeDialogGrowsAVolume(FxRobot robot) {
        api.createVolume("pc1-disk", 4 * MIB);
        select(robot, "pc1-disk");

        robot.clickOn("#volume-resize");
        robot.clickOn("#resize-size").write("64M");
        Fx.await(WAIT, "the dialog explains the grow", () -> robot.lookup("#resize-hint").queryAs(Label.class)
                .getText().startsWith("Grows from 4.00 MiB to 64.0 MiB"));
        robot.clickOn("#resize-apply");

        Fx.await(WAIT, "the dialog closed", () -> robot.lookup("#resize-apply").tryQuery().isEmpty());
        assertEquals(64 * MIB, apiSize("pc1-disk"), "the API shows the new size");
        Fx.await(WAIT, "the table row shows it", () -> row(robot, "pc1-disk").orElseThrow().sizeBytes() == 64 * MIB);
    }

    @Test
    void theResizeDialogShowsTheServersRefusalToShrinkWhileAClientIsLoggedIn(FxRobot robot) throws Exception {
        api.createVolume("pc1-disk", 64 * MIB);
        Client pc = api.addClient(Client.sanboot("pc1", "52:54:00:00:00:01", "pc1-disk"));
        int port = server.server().service(IscsiService.class).port();
        try (RawInitiator session = RawInitiator.login(port, pc.initiatorIqn(), pc.targetIqn())) {
            session.read(0, 8);
            Fx.await(WAIT, "the row shows pc1 attached", () -> row(robot, "pc1-disk")
                    .map(r -> "pc1".equals(r.clientName())).orElse(false));
            select(robot, "pc1-disk");

            robot.clickOn("#volume-resize");
            robot.clickOn("#resize-size").write("8M");
            Fx.await(WAIT, "the shrink needs its confirmation", () -> robot.lookup("#resize-shrink-confirm").queryLabeled()
                    .isVisible() && robot.lookup("#resize-apply").queryButton().isDisabled());
            assertEquals("I understand data past 8.00 MiB is lost",
                    Fx.get(() -> robot.lookup("#resize-shrink-confirm").queryLabeled().getText()));
            robot.clickOn("#resize-shrink-confirm");
            robot.clickOn("#resize-apply");

            Fx.await(WAIT, "the server's refusal is shown", () -> {
                Label error = robot.lookup("#resize-error").queryAs(Label.class);
                return error.isVisible() && error.getText().contains("in use by client pc1");
            });
            assertEquals(64 * MIB, apiSize("pc1-disk"), "the size is unchanged");
            assertEquals(64 * MIB, (long) Fx.get(() -> row(robot, "pc1-disk").orElseThrow().sizeBytes()));
            robot.clickOn("#resize-cancel");
            assertEquals(8 * 512, session.read(0, 8).length, "the session goes on");
        }
    }

    @Test
    void createsAVolumeThenRemovesItAfterConfirmation(FxRobot robot) {
        robot.clickOn("#volume-create");
        robot.clickOn("#create-name").write("scratch");
        robot.clickOn("#create-size").write("1000");
        Fx.await(WAIT, "an odd size is refused inline", () -> robot.lookup("#create-apply").queryButton().isDisabled()
                && robot.lookup("#create-hint").queryAs(Label.class).getText().contains("not a multiple of 512"));
        Fx.run(() -> robot.lookup("#create-size").queryTextInputControl().clear());
        robot.clickOn("#create-size").write("16M");
        robot.clickOn("#create-apply");

        Fx.await(WAIT, "the new volume is in the table", () -> row(robot, "scratch").isPresent());
        assertEquals(16 * MIB, apiSize("scratch"));

        select(robot, "scratch");
        robot.clickOn("#volume-remove");
        assertTrue(robot.lookup("Remove volume scratch?").tryQuery().isPresent(), "the dialog names the volume");
        robot.clickOn("#remove-confirm");
        Fx.await(WAIT, "the row is gone", () -> row(robot, "scratch").isEmpty());
        assertEquals(-1, apiSize("scratch"), "removed on the server");
    }

    @Test
    void removingAClientsDiskShowsTheServersReason(FxRobot robot) {
        api.createVolume("pc2-disk", 4 * MIB);
        api.addClient(Client.sanboot("pc2", "52:54:00:00:00:02", "pc2-disk"));
        select(robot, "pc2-disk");
        robot.clickOn("#volume-remove");
        robot.clickOn("#remove-confirm");
        Fx.await(WAIT, "the refusal is shown", () -> robot.lookup("#volumes-error").queryAs(Label.class).getText() != null
                && robot.lookup("#volumes-error").queryAs(Label.class).getText().contains("remove the client first"));
        assertEquals(4 * MIB, apiSize("pc2-disk"), "still there");
    }

    @Test
    void importsAnImageAsAVolumeThenExportsIt(FxRobot robot) throws Exception {
        Path image = tmp.resolve("win-image.img");
        byte[] bytes = new byte[(int) (2 * MIB)];
        java.util.Arrays.fill(bytes, (byte) 7);
        java.nio.file.Files.write(image, bytes);

        robot.clickOn("#volume-import");
        robot.clickOn("#import-path").write(image.toString());
        assertEquals("win-image", Fx.get(() -> robot.lookup("#import-name").queryTextInputControl().getText()),
                "the name comes from the file");
        robot.clickOn("#import-apply");
        Fx.await(WAIT, "the imported volume is in the table", () -> row(robot, "win-image").isPresent());
        assertEquals(2 * MIB, apiSize("win-image"));

        Path exported = tmp.resolve("out.img");
        select(robot, "win-image");
        robot.clickOn("#volume-export");
        robot.clickOn("#export-path").write(exported.toString());
        robot.clickOn("#export-apply");
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end && !(java.nio.file.Files.exists(exported)
                && java.nio.file.Files.size(exported) == 2 * MIB && api.jobs().stream().allMatch(j -> j.ended()))) {
            Thread.sleep(50);
        }
        org.junit.jupiter.api.Assertions.assertArrayEquals(bytes, java.nio.file.Files.readAllBytes(exported));
        Fx.await(WAIT, "no job left running in the view", () -> robot.lookup("#volume-jobs").query().isVisible() == false);
    }
}
