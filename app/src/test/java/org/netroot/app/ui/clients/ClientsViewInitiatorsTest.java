package org.netroot.app.ui.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.Region;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.app.AppShell;
import org.netroot.app.testing.AttachedApp;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.RawInitiator;
import org.netroot.app.testing.TestServer;
import org.netroot.server.api.Client;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.iscsi.IscsiService;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Several initiator names per client, against a real server: the card shows them all (and a shared
 * volume as shared), and the edit dialog adds and removes names, refusing a bad one in the server's
 * words without losing it; the name added then logs in over real iSCSI.
 */
@ExtendWith(ApplicationExtension.class)
class ClientsViewInitiatorsTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final String MS_NODE1 = "iqn.1991-05.com.microsoft:node1";
    static final String MS_NODE2 = "iqn.1991-05.com.microsoft:node2";

    @TempDir
    static Path tmp;
    private Stage stage;
    private TestServer server;
    private AppShell shell;

    @Start
    void start(Stage stage) {
        this.stage = stage;
    }

    @AfterEach
    void tearDown() {
        if (shell != null) Fx.run(shell::close);
        if (server != null) server.close();
    }

    private static String text(FxRobot robot, String query) {
        return Fx.get(() -> robot.lookup(query).queryAs(Label.class).getText());
    }

    @Test
    void theCardShowsEveryNameAndTheDialogAddsAndRemovesThem(FxRobot robot) throws Exception {
        Path data = tmp.resolve("initiators");
        server = TestServer.start(data);
        try (NetrootControl api = Netroot.attach(data)) {
            api.createVolume("quorum", 4 << 20, "raw");
            api.shareVolume("quorum", true);
            api.addClient(Client.sanboot("node1", "52:54:00:00:0c:01", "quorum")
                    .withInitiatorIqns(List.of(Client.defaultInitiatorIqn("node1"), MS_NODE1)));
            api.addClient(Client.sanboot("node2", "52:54:00:00:0c:02", null));
        }
        shell = AttachedApp.open(stage, data);
        robot.clickOn("#nav-clients");
        Fx.await(Duration.ofSeconds(10), "node1's card", () -> robot.lookup("#initiators-node1").tryQuery().isPresent());

        Label names = robot.lookup("#initiators-node1").queryAs(Label.class);
        assertEquals("iqn.2026-01.org.netroot:initiator:node1\n" + MS_NODE1, text(robot, "#initiators-node1"),
                "both names, iPXE's first");
        assertTrue(Fx.get(() -> names.getTooltip().getText()).endsWith(
                "\niqn.2026-01.org.netroot:initiator:node1\n" + MS_NODE1), "and in the tooltip");
        Fx.await(Duration.ofSeconds(5), "both lines laid out, inside the card", () -> {
            Region card = (Region) robot.lookup("#client-node1").query();
            Node edit = robot.lookup("#edit-node1").query();
            return names.getHeight() >= 2 * names.getFont().getSize() && Math.abs(card.getHeight() - CardRows.CARD_HEIGHT) < 0.5
                    && edit.localToScene(edit.getLayoutBounds()).getMaxY() <= card.localToScene(card.getLayoutBounds()).getMaxY();
        });
        assertTrue(Fx.get(() -> robot.lookup("#client-node1").query().lookupAll(".label").stream()
                .anyMatch(n -> ((Label) n).getText().startsWith("quorum (shared): "))), "the volume shows shared");

        robot.clickOn("#edit-node2");
        Fx.await(WAIT, "the edit dialog", () -> robot.lookup("#initiator-new").tryQuery().isPresent());
        assertEquals("iqn.2026-01.org.netroot:initiator:node2", text(robot, "#initiator-first"));
        ListView<?> list = robot.lookup("#initiator-list").queryAs(ListView.class);
        assertTrue(Fx.get(() -> list.getItems().isEmpty()));
        @SuppressWarnings("unchecked")
        ComboBox<String> volume = robot.lookup("#volume-choice").queryAs(ComboBox.class);
        assertTrue(Fx.get(() -> volume.getItems().contains("quorum")), "node1's disk is offered: it is shared");
        Fx.run(() -> volume.setValue("quorum"));

        String bad = "iqn.1991-05.com.microsoft:node 2";
        robot.clickOn("#initiator-new").write(bad);
        assertTrue(Fx.get(() -> robot.lookup("#initiator-add").queryButton().isDisabled()), "cannot be added");
        assertTrue(Fx.get(() -> robot.lookup("#client-save").queryButton().isDisabled()), "nor saved");
        assertEquals("Initiator IQN \"" + bad + "\" may hold printable characters except spaces and $ { } # \" ' \\",
                text(robot, "#client-problem"), "the server's own words, naming it");
        robot.push(KeyCode.ENTER);
        assertTrue(Fx.get(() -> list.getItems().isEmpty() && robot.lookup("#initiator-new").tryQuery().isPresent()),
                "Enter neither adds it nor closes the dialog");
        assertEquals(bad, Fx.get(() -> robot.lookup("#initiator-new").queryTextInputControl().getText()),
                "nothing typed is lost");

        robot.push(KeyCode.LEFT).push(KeyCode.BACK_SPACE); // fixed where it stands: "node 2" -> "node2"
        assertEquals(MS_NODE2, Fx.get(() -> robot.lookup("#initiator-new").queryTextInputControl().getText()));
        robot.clickOn("#initiator-add");
        robot.write("iqn.2026-01.org.example:spare");
        robot.push(KeyCode.ENTER);
        Fx.await(WAIT, "both added, the field empty", () -> list.getItems().equals(List.of(MS_NODE2,
                "iqn.2026-01.org.example:spare")) && robot.lookup("#initiator-new").queryTextInputControl().getText().isEmpty());
        robot.clickOn(robot.lookup(".list-cell").match((Node n) -> n instanceof javafx.scene.control.ListCell<?> c
                && "iqn.2026-01.org.example:spare".equals(c.getItem())).queryAs(Node.class));
        robot.clickOn("#initiator-remove");
        assertEquals(List.of(MS_NODE2), Fx.get(() -> List.copyOf(list.getItems())));
        robot.clickOn("#client-save");
        Fx.await(WAIT, "the dialog closes", () -> robot.lookup("#initiator-new").tryQuery().isEmpty());

        try (NetrootControl api = Netroot.attach(data)) {
            Client node2 = api.clients().stream().filter(c -> c.name().equals("node2")).findFirst().orElseThrow();
            assertEquals(List.of("iqn.2026-01.org.netroot:initiator:node2", MS_NODE2), node2.initiatorIqns());
            assertEquals("quorum", node2.volumeName(), "two clients on the shared volume");
        }
        Fx.await(WAIT, "node2's card shows both names", () -> robot.lookup("#initiators-node2").tryQuery()
                .map(n -> ((Label) n).getText().equals("iqn.2026-01.org.netroot:initiator:node2\n" + MS_NODE2))
                .orElse(false));

        int port = server.server().service(IscsiService.class).port();
        try (RawInitiator os = RawInitiator.login(port, MS_NODE2, Client.sanboot("node2", "52:54:00:00:0c:02", null)
                .targetIqn()); RawInitiator other = RawInitiator.login(port, MS_NODE1, "iqn.2026-01.org.netroot:node1")) {
            assertEquals(8 * 512, os.read(0, 8).length, "the name added in the dialog logs in");
            assertEquals(8 * 512, other.read(0, 8).length, "and node1 at the same time: the volume is shared");
        }
    }
}
