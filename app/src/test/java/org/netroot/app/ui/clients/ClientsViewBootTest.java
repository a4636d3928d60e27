package org.netroot.app.ui.clients;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.kordamp.ikonli.javafx.FontIcon;
import org.netroot.app.AppShell;
import org.netroot.app.testing.AttachedApp;
import org.netroot.app.testing.Fx;
import org.netroot.app.testing.TestServer;
import org.netroot.server.api.AssetKind;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.Client;
import org.netroot.server.api.KernelBoot;
import org.netroot.server.api.Netroot;
import org.netroot.server.api.NetrootControl;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The client dialog's Boot section against a real server: kernel mode with a kernel and initrd of
 * the library is saved, a command line the server refuses shows its words in the dialog with nothing
 * typed lost, and the card shows the mode with its icon and asset names.
 */
@ExtendWith(ApplicationExtension.class)
class ClientsViewBootTest {
    static final Duration WAIT = Duration.ofSeconds(5);

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
    void kernelModeWithLibraryAssetsIsSavedAndARefusedCommandLineKeepsWhatWasTyped(FxRobot robot) throws Exception {
        Path data = tmp.resolve("boot");
        server = TestServer.start(data);
        Path kernelFile = Files.write(tmp.resolve("vmlinuz-test"), new byte[4096]);
        Path initrdFile = Files.write(tmp.resolve("initrd-test"), new byte[2048]);
        Path isoFile = Files.write(tmp.resolve("setup.iso"), new byte[1024]);
        try (NetrootControl api = Netroot.attach(data)) {
            api.addAsset(kernelFile.toString(), "vmlinuz-test", AssetKind.KERNEL);
            api.addAsset(initrdFile.toString(), "initrd-test", AssetKind.INITRD);
            api.addAsset(isoFile.toString(), "setup.iso", AssetKind.ISO);
            api.createVolume("pc1", 4 << 20, "raw");
            api.addClient(Client.sanboot("pc1", "52:54:00:00:0d:01", "pc1"));
        }
        shell = AttachedApp.open(stage, data);
        robot.clickOn("#nav-clients");
        Fx.await(Duration.ofSeconds(10), "pc1's card", () -> robot.lookup("#boot-pc1").tryQuery().isPresent());
        assertEquals("sanboot", text(robot, "#boot-pc1"));

        robot.clickOn("#edit-pc1");
        Fx.await(WAIT, "the edit dialog", () -> robot.lookup("#boot-mode").tryQuery().isPresent());
        robot.clickOn("#boot-mode");
        robot.clickOn("Boot a kernel and initrd");
        Fx.await(WAIT, "the kernel's fields", () -> robot.lookup("#kernel-kernel").tryQuery().isPresent());
        Fx.await(WAIT, "the whole dialog on the screen (800 pixels high here)", () -> {
            var save = robot.lookup("#client-save").queryButton();
            var window = save.getScene().getWindow();
            return window.getY() >= 0 && window.getY() + window.getHeight() <= javafx.stage.Screen.getPrimary().getBounds().getMaxY();
        });
        assertEquals("Choose the kernel to boot (add one in Assets first)", text(robot, "#client-problem"));
        assertTrue(Fx.get(() -> robot.lookup("#client-save").queryButton().isDisabled()), "no kernel: no save");
        @SuppressWarnings("unchecked")
        ComboBox<String> kernel = robot.lookup("#kernel-kernel").queryAs(ComboBox.class);
        @SuppressWarnings("unchecked")
        ComboBox<String> initrd = robot.lookup("#kernel-initrd").queryAs(ComboBox.class);
        assertEquals(List.of("vmlinuz-test"), Fx.get(() -> List.copyOf(kernel.getItems())), "kernels only, no ISO");
        assertEquals(List.of(BootSection.NONE, "initrd-test"), Fx.get(() -> List.copyOf(initrd.getItems())));
        robot.clickOn("#kernel-kernel");
        robot.clickOn("vmlinuz-test");
        robot.clickOn("#kernel-initrd");
        robot.clickOn("initrd-test");
        robot.clickOn("#kernel-cmdline-text").write("root=/dev/sda1 me=${nope}");
        Fx.await(WAIT, "the form is complete", () -> !robot.lookup("#client-save").queryButton().isDisabled());
        robot.clickOn("#client-save");
        Fx.await(WAIT, "the server's refusal", () -> !robot.lookup("#client-refused").queryAs(Label.class).getText()
                .isEmpty());
        assertTrue(text(robot, "#client-refused").startsWith("Unknown variable ${nope} in the command line: use ${mac}"), text(robot, "#client-refused"));
        assertEquals("root=/dev/sda1 me=${nope}",
                Fx.get(() -> robot.lookup("#kernel-cmdline-text").queryTextInputControl().getText()), "nothing lost");
        assertEquals("vmlinuz-test", Fx.get(kernel::getValue));
        try (NetrootControl api = Netroot.attach(data)) {
            assertEquals(BootMode.SANBOOT, client(api).bootMode(), "nothing saved");
        }

        robot.doubleClickOn("#kernel-cmdline-text").push(KeyCode.CONTROL, KeyCode.A).push(KeyCode.BACK_SPACE);
        robot.write("debian-iscsi console=ttyS0");
        robot.clickOn("#client-save");
        Fx.await(WAIT, "the dialog closes", () -> robot.lookup("#boot-mode").tryQuery().isEmpty());

        try (NetrootControl api = Netroot.attach(data)) {
            Client saved = client(api);
            assertEquals(BootMode.KERNEL, saved.bootMode());
            assertEquals(new KernelBoot("vmlinuz-test", "initrd-test", "debian-iscsi console=ttyS0"), saved.boot().kernel());
        }
        Fx.await(WAIT, "the card shows the mode and its assets", () -> robot.lookup("#boot-pc1").tryQuery()
                .map(n -> ((Label) n).getText().equals("kernel vmlinuz-test + initrd-test")).orElse(false));
        Label boot = robot.lookup("#boot-pc1").queryAs(Label.class);
        FontIcon icon = Fx.get(() -> (FontIcon) boot.getGraphic());
        assertNotNull(icon);
        assertEquals(BootModeLook.icon(BootMode.KERNEL), Fx.get(icon::getIconCode), "the kernel mode's icon");
        assertEquals("Boot a kernel and initrd: vmlinuz-test, initrd-test", Fx.get(() -> boot.getTooltip().getText()));

        robot.clickOn("#edit-pc1"); // opened again, the dialog shows what was saved
        Fx.await(WAIT, "the edit dialog", () -> robot.lookup("#kernel-cmdline-text").tryQuery().isPresent());
        assertEquals("debian-iscsi console=ttyS0",
                Fx.get(() -> robot.lookup("#kernel-cmdline-text").queryTextInputControl().getText()));
        robot.push(KeyCode.ESCAPE);
    }

    private static Client client(NetrootControl api) {
        return api.clients().stream().filter(c -> c.name().equals("pc1")).findFirst().orElseThrow();
    }
}
