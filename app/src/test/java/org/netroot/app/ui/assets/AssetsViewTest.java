package org.netroot.app.ui.assets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javafx.scene.control.Label;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.app.AppShell;
import org.netroot.app.testing.AttachedApp;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.TestServer;
import org.netroot.server.api.Asset;
import org.netroot.server.api.AssetKind;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.BootOptions;
import org.netroot.server.api.Client;
import org.netroot.server.api.KernelBoot;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Assets view against a real server: a small file added through the dialog lands in the library
 * (name, kind told from the file, size, checksum in the table); removing it while a client boots with
 * it shows the server's refusal; once the client no longer does, Remove takes it away.
 */
@ExtendWith(ApplicationExtension.class)
class AssetsViewTest {
    static final Duration WAIT = Duration.ofSeconds(10);

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
    void addsASmallFileAndRemovesItOnceNoClientBootsWithIt(FxRobot robot) throws Exception {
        Path data = tmp.resolve("assets");
        server = TestServer.start(data);
        byte[] bytes = new byte[5000];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) (i * 31);
        Path file = Files.write(tmp.resolve("vmlinuz-tiny"), bytes);
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        shell = AttachedApp.open(stage, data);
        robot.clickOn("#nav-assets");
        Fx.await(WAIT, "the Assets view", () -> robot.lookup("#asset-add").tryQuery().isPresent());
        @SuppressWarnings("unchecked")
        TableView<Asset> table = robot.lookup("#assets-table").queryAs(TableView.class);
        assertTrue(Fx.get(() -> table.getItems().isEmpty()));

        robot.clickOn("#asset-add");
        Fx.await(WAIT, "the add dialog", () -> robot.lookup("#asset-path").tryQuery().isPresent());
        assertTrue(Fx.get(() -> robot.lookup("#asset-add-apply").queryButton().isDisabled()), "no file yet");
        robot.clickOn("#asset-path").write(file.toString());
        assertEquals("vmlinuz-tiny", Fx.get(() -> robot.lookup("#asset-name").queryTextInputControl().getText()),
                "the file's name is the asset's");
        robot.clickOn("#asset-add-apply");
        Fx.await(WAIT, "the dialog closes and the asset is listed", () -> robot.lookup("#asset-path").tryQuery().isEmpty()
                && table.getItems().size() == 1);
        Asset added = Fx.get(() -> table.getItems().get(0));
        assertEquals(List.of("vmlinuz-tiny", AssetKind.KERNEL, 5000L, sha),
                List.of(added.name(), added.kind(), added.sizeBytes(), added.sha256()), "told a kernel by its name");
        assertTrue(robot.lookup(sha.substring(0, 12)).tryQuery().isPresent(), "the checksum's start in the table");
        assertTrue(robot.lookup("kernel").tryQuery().isPresent(), "its kind");

        try (NetrootControl api = Netroot.attach(data)) {
            assertEquals(sha, api.assets().get(0).sha256(), "the server has it");
            api.addClient(Client.sanboot("pc1", "52:54:00:00:0e:01", null).withBoot(BootMode.KERNEL,
                    BootOptions.NONE.withKernel(new KernelBoot("vmlinuz-tiny", null, null))));
        }
        Fx.await(WAIT, "the table says who boots it", () -> usedByShown(robot).equals(Optional.of("pc1")));
        robot.clickOn("vmlinuz-tiny");
        robot.clickOn("#asset-remove");
        Fx.await(WAIT, "asked first", () -> robot.lookup("#asset-remove-confirm").tryQuery().isPresent());
        robot.clickOn("#asset-remove-confirm");
        Fx.await(WAIT, "the server's refusal", () -> robot.lookup("#assets-error").queryAs(Label.class).isVisible());
        String refusal = Fx.get(() -> robot.lookup("#assets-error").queryAs(Label.class).getText());
        assertTrue(refusal.contains("pc1"), "names the client: " + refusal);
        assertEquals(1, Fx.get(() -> table.getItems().size()), "still there");

        try (NetrootControl api = Netroot.attach(data)) {
            Client pc1 = api.clients().get(0);
            api.updateClient("pc1", pc1.withBoot(BootMode.LOCAL, null));
        }
        Fx.await(WAIT, "no client boots it any more", () -> usedByShown(robot).equals(Optional.of("")));
        robot.clickOn("vmlinuz-tiny");
        robot.clickOn("#asset-remove");
        Fx.await(WAIT, "asked first", () -> robot.lookup("#asset-remove-confirm").tryQuery().isPresent());
        robot.clickOn("#asset-remove-confirm");
        Fx.await(WAIT, "gone from the table", () -> table.getItems().isEmpty());
        assertTrue(Fx.get(() -> !robot.lookup("#assets-error").queryAs(Label.class).isVisible()), "the refusal cleared");
        try (NetrootControl api = Netroot.attach(data)) {
            assertTrue(api.assets().isEmpty(), "and from the server");
        }
    }

    /** What the first row's "Used by" cell shows on screen ("" when it is blank); empty when there is no such cell. */
    private static Optional<String> usedByShown(FxRobot robot) {
        return robot.lookup(".table-row-cell .table-cell").queryAllAs(TableCell.class).stream()
                .filter(c -> c.getTableColumn() != null && "assets-col-used-by".equals(c.getTableColumn().getId()))
                .filter(c -> c.getIndex() == 0 && !c.isEmpty())
                .map(c -> c.getText() == null ? "" : c.getText())
                .findFirst();
    }
}
