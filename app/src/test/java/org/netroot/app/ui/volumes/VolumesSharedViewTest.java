package org.netroot.app.ui.volumes;

import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import org.junit.jupiter.api.Test;
import org.kordamp.ikonli.javafx.FontIcon;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.RawInitiator;
import org.netroot.server.api.Client;
import org.netroot.server.api.Volume;
import org.netroot.server.iscsi.IscsiService;
import org.testfx.api.FxRobot;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.netroot.app.ui.volumes.VolumesTableRobot.WAIT;

/**
 * Shared volumes in the Volumes view, driven like a user against a real server on loopback: Create
 * with "shared" ticked (its warning), the Shared badge with its tooltip, and Sharing… on an existing
 * volume, refused in the server's words while a real iSCSI session has it open.
 */
class VolumesSharedViewTest extends VolumesViewTestBase {
    private boolean apiShared(String name) {
        return apiVolume(name).shared();
    }

    @Test
    void createASharedVolumeWithItsWarningAndTheTableShowsTheBadge(FxRobot robot) {
        VolumesTableRobot t = new VolumesTableRobot(robot);
        robot.clickOn("#volume-create");
        CheckBox shared = robot.lookup("#create-shared").queryAs(CheckBox.class);
        Label warning = robot.lookup("#create-shared-warning").queryAs(Label.class);
        assertFalse(Fx.get(shared::isSelected), "one client at a time unless asked");
        assertTrue(Fx.get(warning::getText).contains("a normal file system (NTFS, ext4, ...) on a shared volume gets"
                + " corrupted when two PCs mount it"), Fx.get(warning::getText));
        assertFalse(Fx.get(() -> warning.getStyleClass().contains("warning")), "read before choosing: quiet");
        robot.clickOn("#create-name").write("quorum");
        robot.clickOn("#create-size").write("64M");
        robot.clickOn("#create-shared");
        assertTrue(Fx.get(() -> warning.getStyleClass().contains("warning") && warning.getGraphic() != null
                && warning.isVisible() && warning.getHeight() >= warning.prefHeight(warning.getWidth()) - 0.5),
                "ticked: a warning, with its icon, all its lines shown");
        robot.clickOn("#create-apply");
        Fx.await(WAIT, "the dialog closed", () -> robot.lookup("#create-apply").tryQuery().isEmpty());
        assertTrue(apiShared("quorum"), "the API says shared");

        api.createVolume("solo", 4 * MIB);
        Fx.await(WAIT, "both rows, only quorum shared", () -> t.row("quorum").map(VolumeRow::shared).orElse(false)
                && t.row("solo").map(r -> !r.shared()).orElse(false));
        Fx.await(WAIT, "the badge is drawn", () -> t.cell(SharedVolumeText.BADGE).tryQuery().isPresent());
        assertEquals(1, Fx.get(() -> robot.lookup(".volume-badge.shared").queryAll().stream().filter(n -> n.isVisible()
                && n.getScene() != null).count()), "one badge: solo has none");
        SharedBadge badge = t.readBadgeCell(SharedVolumeText.BADGE, cell -> {
            Label label = (Label) cell.getGraphic();
            return new SharedBadge(label.getText(), label.getGraphic() instanceof FontIcon,
                    label.getWidth() >= label.prefWidth(-1) - 0.5 && cell.getWidth() >= label.getWidth(),
                    cell.getTooltip() == null ? "" : cell.getTooltip().getText());
        }, b -> b.icon() && b.fits() && !b.tip().isEmpty());
        assertEquals("Shared", badge.text(), "words, not only a colour");
        assertTrue(badge.icon(), "and an icon");
        assertTrue(badge.fits(), "the whole badge fits its column");
        assertTrue(badge.tip().contains("several clients may write this volume at once")
                && badge.tip().contains("Only for cluster file systems"), badge.tip());
    }

    /** What the Shared cell showed, read in one FX turn. */
    private record SharedBadge(String text, boolean icon, boolean fits, String tip) {
    }

    @Test
    void sharingAnExistingVolumeIsRefusedWhileItIsOpenAndWorksOnceItIsClosed(FxRobot robot) throws Exception {
        VolumesTableRobot t = new VolumesTableRobot(robot);
        api.createVolume("solo", 4 * MIB);
        Client pc = api.addClient(Client.sanboot("pc1", "52:54:00:00:00:01", "solo"));
        Fx.await(WAIT, "no sharing before a selection", () -> robot.lookup("#volume-sharing").queryButton().isDisabled());
        int port = fixture.server.server().service(IscsiService.class).port();
        try (RawInitiator session = RawInitiator.login(port, pc.initiatorIqn(), pc.targetIqn())) {
            session.read(0, 8);
            Fx.await(WAIT, "the row shows pc1 attached", () -> t.row("solo").map(VolumeRow::attached).orElse(false));
            t.select("solo");
            robot.clickOn("#volume-sharing");
            Button apply = robot.lookup("#sharing-apply").queryButton();
            assertTrue(Fx.get(apply::isDisabled), "nothing changed yet");
            robot.clickOn("#sharing-shared");
            assertTrue(Fx.get(() -> robot.lookup("#sharing-warning").queryAs(Label.class).getStyleClass()
                    .contains("warning")), "the warning, as in Create");
            assertTrue(Fx.get(() -> robot.lookup("#sharing-hint").queryAs(Label.class).getText())
                    .contains("pc1 has it open: shut it down first"));
            robot.clickOn("#sharing-apply");
            Fx.await(WAIT, "the server's refusal, in the dialog that stays open", () -> {
                Label error = robot.lookup("#sharing-error").queryAs(Label.class);
                return error.isVisible() && error.getText().contains("is in use by client pc1")
                        && error.getText().contains("shut it down first, then share it");
            });
            assertFalse(apiShared("solo"));
        }
        Fx.await(WAIT, "the row shows solo closed", () -> t.row("solo").map(r -> !r.attached()).orElse(false));
        robot.clickOn("#sharing-apply");
        Fx.await(WAIT, "the dialog closed", () -> robot.lookup("#sharing-apply").tryQuery().isEmpty());
        assertTrue(apiShared("solo"), "the API says shared");
        Fx.await(WAIT, "the row and its badge follow", () -> t.row("solo").map(VolumeRow::shared).orElse(false)
                && t.cell(SharedVolumeText.BADGE).tryQuery().isPresent());

        robot.clickOn("#volume-sharing");
        assertTrue(Fx.get(() -> robot.lookup("#sharing-shared").queryAs(CheckBox.class).isSelected()), "shows shared");
        robot.clickOn("#sharing-shared");
        robot.clickOn("#sharing-apply");
        Fx.await(WAIT, "the dialog closed", () -> robot.lookup("#sharing-apply").tryQuery().isEmpty());
        assertFalse(apiShared("solo"), "one client at a time again");
        Fx.await(WAIT, "no badge", () -> t.row("solo").map(r -> !r.shared()).orElse(false)
                && t.cell(SharedVolumeText.BADGE).tryQuery().isEmpty());
    }
}
