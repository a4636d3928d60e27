package org.netroot.app.ui.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javafx.geometry.Bounds;
import javafx.scene.Node;
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
import org.netroot.app.testing.TestServer;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * 200 clients against a real server: the grid makes nodes only for the cards on screen, a card
 * scrolled to shows its own client (ids and words follow the reused node), a card is never cut (a long
 * error gives way and keeps its words in its tooltip),
 * and Tab walks through the cards' buttons past the first screen.
 */
@ExtendWith(ApplicationExtension.class)
class ClientsViewVirtualTest {
    static final int CLIENTS = 200;
    static final String ERROR = "CHAP login refused: the secret in the client's settings is wrong, and the"
            + " initiator gave up after three tries; check the CHAP user and secret in Edit, then boot again";

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

    @Test
    void onlyTheCardsOnScreenExistAndAScrolledToCardShowsItsClient(FxRobot robot) throws Exception {
        Path data = tmp.resolve("many");
        server = TestServer.start(data);
        try (NetrootControl api = Netroot.attach(data)) {
            for (int i = 0; i < CLIENTS; i++) {
                api.addClient(new Client(name(i), mac(i), null, null, null, null, null, null, null,
                        "10.0.%d.%d".formatted(1 + i / 200, 1 + i % 200)));
            }
        }
        server.server().events().record(BootEvent.of(mac(CLIENTS - 1), BootEventType.ERROR, ERROR));
        shell = AttachedApp.open(stage, data);
        robot.clickOn("#nav-clients");
        Fx.await(Duration.ofSeconds(10), "the first client's card", () -> shown(robot, "#client-" + name(0)).isPresent());

        int cards = Fx.get(() -> robot.lookup(".client-card").queryAll().size());
        assertTrue(cards > 0 && cards < 60, "far fewer card nodes than clients: " + cards);

        ListView<?> grid = robot.lookup("#clients-grid").queryAs(ListView.class);
        Fx.run(() -> grid.scrollTo(grid.getItems().size() - 1));
        String last = name(CLIENTS - 1);
        Fx.await(Duration.ofSeconds(5), "the last client's card, failed, with its error",
                () -> shown(robot, "#edit-" + last).isPresent() && shown(robot, "#remove-" + last).isPresent()
                        && "failed".equals(((Label) shown(robot, "#state-" + last).orElseThrow()).getText())
                        && ERROR.equals(((Label) shown(robot, "#error-" + last).orElseThrow()).getText()));
        assertTrue(shown(robot, "#client-" + name(0)).isEmpty(), "the first card's node went to other clients");
        Node card = shown(robot, "#client-" + last).orElseThrow();
        List<String> words = Fx.get(() -> card.lookupAll(".label").stream().map(n -> ((Label) n).getText()).toList());
        assertTrue(words.contains("10.0.1." + CLIENTS + " (reserved)") && words.contains(mac(CLIENTS - 1)),
                "its own address and MAC: " + words);
        Region box = (Region) card;
        Label error = (Label) shown(robot, "#error-" + last).orElseThrow();
        // after the next layout pass: the card at its one height, inside its row, its facts and buttons whole;
        // the long error shows several lines and, where it has to end in "...", all of it is in its tooltip
        Fx.await(Duration.ofSeconds(5), "the card at its full height", () -> box.getHeight() > 0
                && Math.abs(box.getHeight() - CardRows.CARD_HEIGHT) < 0.5
                && box.getParent().getLayoutBounds().getHeight() >= box.getHeight() - 0.5
                && error.getHeight() > 2 * error.getFont().getSize() * 1.2);
        Node edit = shown(robot, "#edit-" + last).orElseThrow();
        assertTrue(Fx.get(() -> edit.localToScene(edit.getLayoutBounds()).getMaxY()
                <= box.localToScene(box.getLayoutBounds()).getMaxY() + 0.5), "the buttons inside the card");
        assertEquals(ERROR, Fx.get(() -> error.getTooltip().getText()), "the error's words, all of them");
        assertEquals(1, Fx.get(() -> robot.lookup("#client-" + last).queryAll().size()), "no hidden copy of the card");
        assertTrue(robot.lookup("#client-" + name(0)).tryQuery().isEmpty(), "nor of one scrolled away");
    }

    @Test
    void tabWalksThroughTheCardsButtonsPastTheFirstScreen(FxRobot robot) throws Exception {
        Path data = tmp.resolve("tab");
        server = TestServer.start(data);
        try (NetrootControl api = Netroot.attach(data)) {
            for (int i = 0; i < 60; i++) {
                api.addClient(new Client(name(i), mac(i), null, null, null, null, null, null, null, null));
            }
        }
        shell = AttachedApp.open(stage, data);
        robot.clickOn("#nav-clients");
        Fx.await(Duration.ofSeconds(10), "the cards", () -> shown(robot, "#client-" + name(0)).isPresent());
        Fx.run(() -> robot.lookup("#add-client").query().requestFocus());
        robot.push(KeyCode.TAB);
        assertEquals("edit-" + name(0), focusId(), "Tab from Add client reaches the first card's Edit");
        for (int i = 0; i < 2 * 40; i++) robot.push(KeyCode.TAB);
        assertEquals("edit-" + name(40), focusId(), "two buttons a card, through rows that were off screen");
        ListView<?> grid = robot.lookup("#clients-grid").queryAs(ListView.class);
        assertTrue(Fx.get(() -> {
            Node focus = stage.getScene().getFocusOwner();
            Bounds b = grid.sceneToLocal(focus.localToScene(focus.getBoundsInLocal()));
            return b.getMinY() >= 0 && b.getMaxY() <= grid.getHeight();
        }), "the focused button is on screen");
        robot.push(KeyCode.SHIFT, KeyCode.TAB);
        assertEquals("remove-" + name(39), focusId(), "Shift+Tab goes back");
    }

    @Test
    void theFocusStaysWithItsClientWhenTheCardsMove(FxRobot robot) throws Exception {
        Path data = tmp.resolve("refocus");
        server = TestServer.start(data);
        try (NetrootControl api = Netroot.attach(data)) {
            for (int i = 1; i <= 12; i++) api.addClient(new Client(name(i), mac(i), null, null, null, null, null, null,
                    null, null));
        }
        shell = AttachedApp.open(stage, data);
        robot.clickOn("#nav-clients");
        Fx.await(Duration.ofSeconds(10), "pc-003's card", () -> shown(robot, "#remove-" + name(3)).isPresent());
        Fx.run(() -> shown(robot, "#remove-" + name(3)).orElseThrow().requestFocus());
        assertEquals("remove-" + name(3), focusId());

        try (NetrootControl api = Netroot.attach(data)) { // a client sorted before it: every card moves one place
            api.addClient(new Client(name(0), mac(0), null, null, null, null, null, null, null, null));
        }
        Fx.await(Duration.ofSeconds(5), "pc-000's card", () -> shown(robot, "#client-" + name(0)).isPresent());
        Fx.await(Duration.ofSeconds(5), "the focus back on pc-003's Remove, not on the one now in its place",
                () -> ("remove-" + name(3)).equals(stage.getScene().getFocusOwner() == null ? null
                        : stage.getScene().getFocusOwner().getId()));
    }

    @Test
    void aCardRedrawsInPlaceWhenItsClientBootsAndNoRowIsReplaced(FxRobot robot) throws Exception {
        Path data = tmp.resolve("in-place");
        server = TestServer.start(data);
        try (NetrootControl api = Netroot.attach(data)) {
            for (int i = 0; i < 12; i++) api.addClient(new Client(name(i), mac(i), null, null, null, null, null, null,
                    null, null));
        }
        shell = AttachedApp.open(stage, data);
        robot.clickOn("#nav-clients");
        Fx.await(Duration.ofSeconds(10), "pc-001's card", () -> shown(robot, "#state-" + name(1)).isPresent());
        Node card = shown(robot, "#client-" + name(1)).orElseThrow();
        String before = Fx.get(() -> ((Label) shown(robot, "#state-" + name(1)).orElseThrow()).getText());
        ListView<?> grid = robot.lookup("#clients-grid").queryAs(ListView.class);
        List<String> rowChanges = new java.util.concurrent.CopyOnWriteArrayList<>();
        Fx.run(() -> grid.getItems().addListener((javafx.collections.ListChangeListener<Object>) c -> rowChanges.add(
                c.toString())));

        server.server().events().record(BootEvent.of(mac(1), BootEventType.ERROR, "boot file missing"));
        Fx.await(Duration.ofSeconds(5), "pc-001's card failed, with its error",
                () -> "failed".equals(((Label) shown(robot, "#state-" + name(1)).orElseThrow()).getText())
                        && "boot file missing".equals(((Label) shown(robot, "#error-" + name(1)).orElseThrow()).getText()));
        assertTrue(!"failed".equals(before), "it was not failed before: " + before);
        assertEquals(List.of(), rowChanges, "the grid's rows stay as they are (a replaced row redraws every card)");
        assertTrue(card == shown(robot, "#client-" + name(1)).orElseThrow(), "the same card node, redrawn in place");
    }

    private String focusId() {
        return Fx.get(() -> stage.getScene().getFocusOwner() == null ? null : stage.getScene().getFocusOwner().getId());
    }

    /** The node with this id that is on screen (not one kept hidden for reuse). */
    private static Optional<Node> shown(FxRobot robot, String query) {
        return robot.lookup(query).match(ClientsViewVirtualTest::onScreen).tryQuery();
    }

    private static boolean onScreen(Node n) {
        for (Node at = n; at != null; at = at.getParent()) {
            if (!at.isVisible()) return false;
        }
        return n.getScene() != null;
    }

    static String name(int i) {
        return String.format(Locale.ROOT, "pc-%03d", i);
    }

    static String mac(int i) {
        return String.format(Locale.ROOT, "52:54:00:aa:%02x:%02x", (i >> 8) & 0xff, i & 0xff);
    }
}
