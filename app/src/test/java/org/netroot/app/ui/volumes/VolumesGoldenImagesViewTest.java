package org.netroot.app.ui.volumes;

import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.RadioButton;
import javafx.scene.layout.VBox;
import org.junit.jupiter.api.Test;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.RawInitiator;
import org.netroot.server.api.Client;
import org.netroot.server.api.Job;
import org.netroot.server.api.Volume;
import org.netroot.server.iscsi.IscsiService;
import org.testfx.api.FxRobot;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.netroot.app.ui.volumes.VolumesTableRobot.WAIT;

/**
 * Golden images and overlays in the Volumes view, driven like a user against a real server on
 * loopback: make golden, new overlay, reset (refused while a real iSCSI session has the overlay),
 * promote as a job, and a raw volume from the create dialog's format choice.
 */
class VolumesGoldenImagesViewTest extends VolumesViewTestBase {
    /** Which of the golden-image actions are enabled now, in toolbar order (golden, clone, reset, promote). */
    private static List<Boolean> enabled(FxRobot robot) {
        return Fx.get(() -> java.util.stream.Stream.of("#volume-golden", "#volume-clone", "#volume-reset", "#volume-promote")
                .map(id -> !robot.lookup(id).queryButton().isDisabled()).toList());
    }

    private static String text(FxRobot robot, String id) {
        return Fx.get(() -> robot.lookup(id).queryAs(Labeled.class).getText());
    }

    private int iscsiPort() {
        return server.server().service(IscsiService.class).port();
    }

    /** Logs {@code pc} in over real iSCSI and waits until the table shows it attached to {@code volume}. */
    private RawInitiator loggedIn(VolumesTableRobot t, Client pc, String volume) throws Exception {
        RawInitiator session = RawInitiator.login(iscsiPort(), pc.initiatorIqn(), pc.targetIqn());
        session.read(0, 8);
        Fx.await(WAIT, "the row shows " + pc.name() + " attached", () -> t.row(volume)
                .map(r -> pc.name().equals(r.clientName())).orElse(false));
        return session;
    }

    /** The golden badge as the table should draw it: words, styles, laid out and shown, its tooltip. */
    private static final List<String> GOLDEN_BADGE_DRAWN = List.of("Golden image", "true", "true",
            "Golden image: read-only; overlays start from it and keep only their own changes");

    @Test
    void makeGoldenShowsTheBadgeAndTheApiSaysGolden(FxRobot robot) {
        VolumesTableRobot t = new VolumesTableRobot(robot);
        api.createVolume("base", 4 * MIB);
        Fx.await(WAIT, "no action before a selection", () -> robot.lookup("#volume-golden").queryButton().isDisabled());
        t.select("base");
        assertEquals(List.of(true, false, false, false), enabled(robot), "a plain volume: only make golden");

        robot.clickOn("#volume-golden");
        assertTrue(text(robot, "#golden-text").contains("read-only from now on"), text(robot, "#golden-text"));
        robot.clickOn("#golden-apply");
        Fx.await(WAIT, "the dialog closed", () -> robot.lookup("#golden-apply").tryQuery().isEmpty());

        assertTrue(apiVolume("base").golden(), "the API says golden");
        Fx.await(WAIT, "the row is golden", () -> t.row("base").map(VolumeRow::golden).orElse(false));
        List<String> badge = t.readBadgeCell(VolumeRow.GOLDEN_BADGE, cell -> {
            Label label = (Label) cell.getGraphic();
            return List.of(label.getText(), String.valueOf(label.getStyleClass().containsAll(
                    List.of("volume-badge", "golden"))), String.valueOf(label.isVisible() && label.getWidth() > 0),
                    cell.getTooltip() == null ? "" : cell.getTooltip().getText());
        }, GOLDEN_BADGE_DRAWN::equals);
        assertEquals(GOLDEN_BADGE_DRAWN, badge,
                "the golden badge, styled, laid out and shown, and what it means");
        Fx.await(WAIT, "the buttons follow the change without a reselect",
                () -> robot.lookup("#volume-golden").queryButton().isDisabled());
        assertEquals(List.of(false, true, false, false), enabled(robot), "a golden image: only new overlay");
    }

    @Test
    void makeGoldenIsRefusedInTheServersWordsWhileAClientIsLoggedIn(FxRobot robot) throws Exception {
        VolumesTableRobot t = new VolumesTableRobot(robot);
        api.createVolume("pc2-disk", 4 * MIB);
        Client pc = api.addClient(Client.sanboot("pc2", "52:54:00:00:00:02", "pc2-disk"));
        try (RawInitiator session = loggedIn(t, pc, "pc2-disk")) {
            t.select("pc2-disk");
            robot.clickOn("#volume-golden");
            robot.clickOn("#golden-apply");
            Fx.await(WAIT, "the server's refusal is shown in the dialog", () -> {
                Label error = robot.lookup("#golden-error").queryAs(Label.class);
                return error.isVisible() && error.getText().contains("in use by client pc2")
                        && error.getText().contains("shut it down first");
            });
            robot.clickOn("#golden-cancel");
            assertFalse(apiVolume("pc2-disk").golden(), "still writable");
            assertEquals(8 * 512, session.read(0, 8).length, "the session goes on");
        }
    }

    @Test
    void newOverlayAppearsAsOverlayOfTheGoldenImageAndTheGoldenCannotBeRemoved(FxRobot robot) {
        VolumesTableRobot t = new VolumesTableRobot(robot);
        api.createVolume("base", 4 * MIB);
        api.makeGolden("base");
        Fx.await(WAIT, "the row is golden", () -> t.row("base").map(VolumeRow::golden).orElse(false));
        t.select("base");

        robot.clickOn("#volume-clone");
        robot.clickOn("#clone-name").write("pc1-disk");
        robot.clickOn("#clone-apply");
        Fx.await(WAIT, "the dialog closed", () -> robot.lookup("#clone-apply").tryQuery().isEmpty());

        Volume overlay = apiVolume("pc1-disk");
        assertEquals("base", overlay.overlayOf(), "the API has the overlay");
        assertEquals(Volume.QCOW2, overlay.format());
        assertEquals(4 * MIB, overlay.sizeBytes());
        Fx.await(WAIT, "the row says overlay of base", () -> t.row("pc1-disk").map(VolumeRow::kind)
                .orElse("").equals("overlay of base") && t.cell("overlay of base").tryQuery().isPresent());
        String tip = t.readBadgeCell("overlay of base", c -> c.getTooltip() == null ? "" : c.getTooltip().getText(),
                read -> read.startsWith("Overlay of base"));
        assertTrue(tip.startsWith("Overlay of base: reads what it has not changed from that golden image"),
                "the whole name, which the column may cut, and what an overlay is: " + tip);
        t.select("pc1-disk");
        assertEquals(List.of(false, false, true, true), enabled(robot), "an overlay: reset and promote");

        t.select("base");
        robot.clickOn("#volume-remove");
        robot.clickOn("#remove-confirm");
        Fx.await(WAIT, "the server's refusal is shown", () -> {
            String error = robot.lookup("#volumes-error").queryAs(Label.class).getText();
            return error != null && error.contains("is the golden image of pc1-disk");
        });
        assertTrue(apiVolume("base") != null && apiVolume("base").golden(), "still there");
    }

    @Test
    void resetIsRefusedInTheServersWordsWhileTheClientIsLoggedInAndWorksOnceItIsGone(FxRobot robot) throws Exception {
        VolumesTableRobot t = new VolumesTableRobot(robot);
        api.createVolume("base", 4 * MIB);
        api.makeGolden("base");
        api.cloneVolume("base", "pc1-disk");
        Client pc = api.addClient(Client.sanboot("pc1", "52:54:00:00:00:01", "pc1-disk"));
        try (RawInitiator session = loggedIn(t, pc, "pc1-disk")) {
            t.select("pc1-disk");
            robot.clickOn("#volume-reset");
            assertTrue(text(robot, "#reset-text").contains("changes are lost"), text(robot, "#reset-text"));
            robot.clickOn("#reset-apply");
            Fx.await(WAIT, "the server's refusal is shown in the dialog", () -> {
                Label error = robot.lookup("#reset-error").queryAs(Label.class);
                return error.isVisible() && error.getText().contains("in use by client pc1")
                        && error.getText().contains("shut it down first, then reset it");
            });
            robot.clickOn("#reset-cancel");
            assertEquals(8 * 512, session.read(0, 8).length, "the session goes on");
        }
        Fx.await(WAIT, "the row shows pc1 gone", () -> t.row("pc1-disk").map(r -> !r.attached()).orElse(false));
        robot.clickOn("#volume-reset");
        robot.clickOn("#reset-apply");
        Fx.await(WAIT, "with the client gone the reset is done", () -> robot.lookup("#reset-apply").tryQuery().isEmpty());
        assertEquals("base", apiVolume("pc1-disk").overlayOf(), "still an overlay of base");
        assertNull(Fx.get(() -> robot.lookup("#volumes-error").queryAs(Label.class).getText()));
    }

    @Test
    void promoteRunsAsAJobThatCompletesAndTheNewGoldenImageAppears(FxRobot robot) throws Exception {
        VolumesTableRobot t = new VolumesTableRobot(robot);
        Path image = tmp.resolve("base.img");
        byte[] bytes = new byte[(int) (2 * MIB)];
        new java.util.Random(12).nextBytes(bytes);
        Files.write(image, bytes);
        api.importVolume("base", image.toString());
        api.makeGolden("base");
        api.cloneVolume("base", "pc1-disk");
        List<String> jobLines = new ArrayList<>();
        Fx.run(() -> robot.lookup("#volume-jobs").queryAs(VBox.class).getChildren()
                .addListener((ListChangeListener<Node>) c -> {
                    while (c.next()) for (Node line : c.getAddedSubList()) jobLines.add(describe(line));
                }));
        t.select("pc1-disk");

        robot.clickOn("#volume-promote");
        robot.clickOn("#promote-name").write("base-v2");
        robot.clickOn("#promote-apply");

        Fx.await(WAIT, "the new golden image is in the table", () -> t.row("base-v2").map(VolumeRow::golden).orElse(false));
        Fx.await(WAIT, "no job left running in the view", () -> !robot.lookup("#volume-jobs").query().isVisible());
        List<String> lines = Fx.get(() -> List.copyOf(jobLines));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("Promoting to base-v2") && l.contains("[job-cancel-")),
                "the jobs pane showed the promotion with its Cancel: " + lines);
        Job job = api.jobs().stream().filter(j -> j.kind() == Job.Kind.PROMOTE).findFirst().orElseThrow();
        assertEquals(Job.State.SUCCEEDED, job.state(), job.message());
        assertEquals("base-v2", job.subject());
        Volume promoted = apiVolume("base-v2");
        assertTrue(promoted.golden(), "a golden image");
        assertNull(promoted.overlayOf(), "standing alone");
        Path exported = tmp.resolve("base-v2.img");
        api.exportVolume("base-v2", exported.toString());
        assertArrayEquals(bytes, Files.readAllBytes(exported), "it holds the overlay's bytes");
        assertNull(Fx.get(() -> robot.lookup("#volumes-error").queryAs(Label.class).getText()));
    }

    /** A job line's words and the ids in it: "Promoting to x [job-progress-1] [job-cancel-1]". */
    private static String describe(Node line) {
        StringBuilder s = new StringBuilder();
        if (line instanceof Parent p) {
            for (Node n : p.getChildrenUnmodifiable()) {
                if (n instanceof Label l && s.isEmpty()) s.append(l.getText());
                if (n.getId() != null) s.append(" [").append(n.getId()).append(']');
            }
        }
        return s.toString();
    }

    @Test
    void createWithRawFormatMakesARawVolumeAndWarnsPastTheFreeSpace(FxRobot robot) {
        VolumesTableRobot t = new VolumesTableRobot(robot);
        Fx.await(WAIT, "the free space is shown", () -> robot.lookup("#volumes-free-space").queryAs(Label.class)
                .getText().startsWith("Free on the data folder's disk: "));
        robot.clickOn("#volume-create");
        assertTrue(Fx.get(() -> robot.lookup("#create-format-qcow2").queryAs(RadioButton.class).isSelected()),
                "qcow2 is the default");
        robot.clickOn("#create-name").write("scratch");
        robot.clickOn("#create-size").write("1000T");
        Fx.await(WAIT, "a size past the free space is allowed, with a warning", () -> {
            Label hint = robot.lookup("#create-hint").queryAs(Label.class);
            return hint.getText().contains("larger than the free space on the data folder's disk (")
                    && hint.getText().contains("allowed, volumes are sparse, but writes fail once the disk is full")
                    && hint.getStyleClass().contains("warning")
                    && !robot.lookup("#create-apply").queryAs(Button.class).isDisabled();
        });
        Fx.run(() -> robot.lookup("#create-size").queryTextInputControl().clear());
        robot.clickOn("#create-size").write("16M");
        Fx.await(WAIT, "a size that fits is no warning", () -> {
            Label hint = robot.lookup("#create-hint").queryAs(Label.class);
            return !hint.getText().contains("free space") && !hint.getStyleClass().contains("warning");
        });
        robot.clickOn("#create-format-raw");
        robot.clickOn("#create-apply");

        Fx.await(WAIT, "the new volume is in the table", () -> t.row("scratch").isPresent());
        Volume v = apiVolume("scratch");
        assertEquals(Volume.RAW, v.format(), "the API says raw");
        assertEquals(16 * MIB, v.sizeBytes());
        assertEquals("raw", Fx.get(() -> t.row("scratch").orElseThrow().format()));
    }
}
