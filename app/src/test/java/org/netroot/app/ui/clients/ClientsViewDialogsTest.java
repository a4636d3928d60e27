package org.netroot.app.ui.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
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

/** Add, edit and remove a client through the dialogs, against a real server; and a card's live state. */
@ExtendWith(ApplicationExtension.class)
class ClientsViewDialogsTest {
    static final String MAC = "52:54:00:00:0b:01";

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
    void addEditAndRemoveThroughTheDialogs(FxRobot robot) throws Exception {
        Path data = tmp.resolve("dialogs");
        server = TestServer.start(data);
        shell = AttachedApp.open(stage, data);
        robot.clickOn("#nav-clients");

        robot.clickOn("#add-client");
        Fx.await(Duration.ofSeconds(5), "the add dialog", () -> robot.lookup("#client-name").tryQuery().isPresent());
        robot.clickOn("#client-name").write("desk");
        robot.clickOn("#client-mac").write("52:54:00:00:0b");
        assertTrue(Fx.get(() -> robot.lookup("#client-save").queryButton().isDisabled()), "an incomplete MAC");
        assertTrue(Fx.get(() -> robot.lookup("#client-problem").queryAs(Label.class).getText()).startsWith("The MAC"));
        robot.write(":01");
        robot.clickOn("#volume-size").push(KeyCode.CONTROL, KeyCode.A).write("1 GiB");
        robot.clickOn("#client-save");
        Fx.await(Duration.ofSeconds(5), "the new client's card", () -> robot.lookup("#client-desk").tryQuery().isPresent());
        try (NetrootControl api = Netroot.attach(data)) {
            assertEquals(List.of("desk", MAC, "desk"), List.of(api.clients().get(0).name(), api.clients().get(0).mac(),
                    api.clients().get(0).volumeName()));
            assertEquals(1L << 30, api.volumes().get(0).sizeBytes());
            assertTrue(api.clients().get(0).usesMutualChap(), "added with CHAP both ways, secrets generated");
            assertTrue(api.clientSecrets("desk").chapSecret().matches("[A-Za-z0-9]{16}"));
        }

        server.server().events().record(BootEvent.of(MAC, BootEventType.ERROR,
                "CHAP login refused: the secret in the client's settings is wrong"));
        // the event goes from the server's store over the live stream to the model, then the FX thread: 3 s was a
        // short margin for that chain on a loaded 2-CPU machine (nothing here is a latency target)
        Fx.await(Duration.ofSeconds(10), "the card turns failed, with the error in words",
                () -> "failed".equals(robot.lookup("#state-desk").queryAs(Label.class).getText())
                        && robot.lookup("#error-desk").queryAs(Label.class).getText().startsWith("CHAP login refused"));

        try (NetrootControl api = Netroot.attach(data)) {
            api.addClient(new Client("other", "52:54:00:00:0b:02", null, null, null, null, null, null, null,
                    "10.0.0.30"));
        }
        Fx.await(Duration.ofSeconds(5), "the other card", () -> robot.lookup("#client-other").tryQuery().isPresent());
        robot.clickOn("#edit-desk");
        Fx.await(Duration.ofSeconds(5), "the edit dialog", () -> robot.lookup("#chap-on").tryQuery().isPresent());
        assertTrue(Fx.get(() -> robot.lookup("#client-name").queryTextInputControl().isDisabled()), "no renaming");
        assertTrue(Fx.get(() -> robot.lookup("#chap-on").queryAs(javafx.scene.control.CheckBox.class).isSelected()),
                "the box shows CHAP on");
        robot.clickOn("#chap-user").write("desk");
        robot.clickOn("#chap-secret").write("a-good-secret1");
        robot.clickOn("#reserved-ip").write("10.0.0.30");
        robot.clickOn("#client-save");
        Fx.await(Duration.ofSeconds(5), "the server's refusal, in the dialog that stays open",
                () -> robot.lookup("#client-refused").queryAs(Label.class).getText()
                        .equals("Address 10.0.0.30 is already reserved for client other"));
        robot.clickOn("#reserved-ip").push(KeyCode.CONTROL, KeyCode.A).write("10.0.0.31");
        assertEquals("", Fx.get(() -> robot.lookup("#client-refused").queryAs(Label.class).getText()),
                "the refusal goes once the form changes");
        robot.clickOn("#client-save");
        Fx.await(Duration.ofSeconds(5), "the edit dialog closes", () -> robot.lookup("#chap-on").tryQuery().isEmpty());
        try (NetrootControl api = Netroot.attach(data)) {
            assertEquals("a-good-secret1", api.clientSecrets("desk").chapSecret());
            assertEquals("10.0.0.31", api.clients().get(0).reservedIp());
            api.removeClient("other");
        }
        Fx.await(Duration.ofSeconds(5), "the other card goes", () -> robot.lookup("#client-other").tryQuery().isEmpty());

        robot.clickOn("#remove-desk");
        Fx.await(Duration.ofSeconds(5), "the confirmation", () -> robot.lookup("#confirm-remove").tryQuery().isPresent());
        String words = Fx.get(() -> robot.lookup("#remove-dialog").queryAs(javafx.scene.control.DialogPane.class)
                .getContentText());
        assertTrue(words.contains("its volume desk stays"), words);
        robot.clickOn("#confirm-remove");
        Fx.await(Duration.ofSeconds(5), "the card goes, the empty state shows",
                () -> robot.lookup("#client-desk").tryQuery().isEmpty() && robot.lookup("#clients-empty").query().isVisible());
        try (NetrootControl api = Netroot.attach(data)) {
            assertTrue(api.clients().isEmpty());
            assertEquals("desk", api.volumes().get(0).name(), "the volume stays");
        }
        assertNull(Fx.get(() -> robot.lookup("#clients-error").queryAs(Label.class).getText()));
    }
}
