package org.netroot.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.BootMode;
import org.netroot.server.api.ChangeEvent;
import org.netroot.server.api.ChangeType;
import org.netroot.server.api.Client;
import org.netroot.server.api.RemoteControl;
import org.netroot.server.http.HttpService;
import org.netroot.server.runtime.NetrootServer;
import org.netroot.server.testing.TestConfigs;

/** {@code client edit --boot}: each mode set from the command line, refused in words when it could not boot. */
class BootModesCliTest {
    static final String MAC = "52:54:00:00:00:01";
    @TempDir Path tmp;

    private Path data() {
        return tmp.resolve("data");
    }

    private CliRun cli(String... args) {
        return CliRun.of(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--data", data().toString())).toArray(String[]::new));
    }

    private CliRun ok(String... args) {
        CliRun r = cli(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err() + r.out());
        return r;
    }

    /** The command is refused (exit 2) with {@code words} in its message. */
    private void refused(String words, String... args) {
        CliRun r = cli(args);
        assertEquals(2, r.code(), String.join(" ", args) + ": " + r.out());
        assertTrue(r.err().contains(words), String.join(" ", args) + ": " + r.err());
    }

    private void library() throws Exception {
        ok("volume", "create", "pc1-disk", "--size", "64M");
        ok("client", "add", "pc1", "--mac", MAC, "--volume", "pc1-disk", "--no-chap");
        ok("asset", "add", Files.write(tmp.resolve("vmlinuz"), new byte[4096]).toString(), "vmlinuz");
        ok("asset", "add", Files.write(tmp.resolve("initrd.img"), new byte[4096]).toString(), "initrd.img");
        ok("asset", "add", Files.write(tmp.resolve("debian.iso"), new byte[4096]).toString(), "debian.iso");
        ok("asset", "add", Files.write(tmp.resolve("root.squashfs"), new byte[4096]).toString(), "root.squashfs");
    }

    @Test
    void theHelpNamesEveryTemplateVariableLiterally() {
        CliRun r = CliRun.of("client", "edit", "--help");
        assertEquals(0, r.code(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        for (String v : org.netroot.server.boot.CmdlineTemplate.VARIABLES) {
            assertTrue(help.contains("${" + v + "}"), "${" + v + "} in:\n" + r.out()); // picocli expands ${...} unless $$-escaped
        }
        assertTrue(help.contains("${root-image-url}") && !help.contains("null null"), r.out());
    }

    @Test
    void everyModeIsSetFromTheCommandLineAndShown() throws Exception {
        library();
        CliRun kernel = ok("client", "edit", "pc1", "--boot", "kernel", "--kernel", "vmlinuz", "--initrd", "initrd.img",
                "--cmdline", "debian-iscsi console=ttyS0,115200");
        assertTrue(kernel.out().contains("boot: kernel vmlinuz + initrd.img, cmdline \"debian-iscsi console=ttyS0,115200\""),
                kernel.out());
        assertTrue(ok("client", "list").out().contains("mode=kernel"));
        ok("client", "edit", "pc1", "--cmdline", "nbd-root"); // the mode it is in: only the command line changes
        String show = ok("client", "show", "pc1").out();
        assertTrue(show.contains("boot mode:    kernel vmlinuz + initrd.img, cmdline \"nbd-root\""), show);

        ok("client", "edit", "pc1", "--boot", "ramdisk", "--kernel", "vmlinuz", "--initrd", "initrd.img",
                "--root-image", "root.squashfs");
        ok("client", "edit", "pc1", "--boot", "install", "--installer", "debian.iso", "--then", "sanboot");
        assertTrue(ok("client", "show", "pc1").out().contains("boot mode:    install from debian.iso, then sanboot"));
        ok("client", "edit", "pc1", "--boot", "menu", "--menu-timeout", "3", "--menu-default", "install-debian.iso");
        show = ok("client", "show", "pc1").out();
        assertTrue(show.contains("boot mode:    menu (default install-debian.iso after 3 s)"), show);
        assertTrue(show.contains("  kernel:") && show.contains("  ramdisk:") && show.contains("  install:"),
                "the other modes' options stay, for the menu: " + show);
        ok("client", "edit", "pc1", "--boot", "local");
        assertTrue(ok("client", "list").out().contains("mode=local"));
        ok("client", "edit", "pc1", "--boot", "ignore");
        assertTrue(ok("client", "show", "pc1").out().contains("boot mode:    ignore"));
        ok("client", "edit", "pc1", "--boot", "sanboot");
        assertTrue(ok("client", "list").out().contains("mode=sanboot"));
    }

    @Test
    void whatCouldNotBootIsRefusedAtEditTimeInWords() throws Exception {
        library();
        refused("unknown variable ${hostname} in the command line: use ${mac} ${ip} ${server}",
                "client", "edit", "pc1", "--boot", "kernel", "--kernel", "vmlinuz", "--cmdline", "host=${hostname}");
        refused("may not hold |", "client", "edit", "pc1", "--boot", "kernel", "--kernel", "vmlinuz", "--cmdline", "a || shell");
        refused("the library has no asset named nope (the kernel): add it first, netroot asset add FILE nope",
                "client", "edit", "pc1", "--boot", "kernel", "--kernel", "nope");
        refused("asset initrd.img is an initrd, not a kernel", "client", "edit", "pc1", "--boot", "kernel", "--kernel",
                "initrd.img");
        refused("kernel mode needs a kernel", "client", "edit", "pc1", "--boot", "kernel");
        refused("--root-image is for boot mode ramdisk, not kernel", "client", "edit", "pc1", "--boot", "kernel",
                "--kernel", "vmlinuz", "--root-image", "root.squashfs");
        refused("--kernel is for boot mode kernel and ramdisk, not sanboot", "client", "edit", "pc1", "--kernel", "vmlinuz");
        refused("must say where its root image is", "client", "edit", "pc1", "--boot", "ramdisk", "--kernel", "vmlinuz",
                "--root-image", "root.squashfs", "--cmdline", "quiet");
        refused("is an ISO: it takes no --initrd", "client", "edit", "pc1", "--boot", "install", "--installer",
                "debian.iso", "--initrd", "initrd.img");
        refused("--then takes sanboot", "client", "edit", "pc1", "--boot", "install", "--installer", "debian.iso",
                "--then", "reboot");
        refused("no menu entry floppy", "client", "edit", "pc1", "--boot", "menu", "--menu-default", "floppy");
        refused("the menu's default kernel is not on pc1's menu", "client", "edit", "pc1", "--boot", "menu",
                "--menu-default", "kernel");
        refused("no boot mode usb: use one of sanboot, install, kernel, ramdisk, menu, local, ignore",
                "client", "edit", "pc1", "--boot", "usb");
        assertTrue(ok("client", "list").out().contains("mode=sanboot"), "nothing refused was saved");
    }

    private static String get(int port, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + "\n" + r.body();
    }

    /**
     * Against a running server: a kernel script with its command line expanded for the requester; then an
     * install with "then sanboot": the installer, the volume first, and once that booted, sanboot for good.
     */
    @Test
    void theServerWritesTheModesScriptAndAnInstallSwitchesToSanbootAfterItsVolumeBooted() throws Exception {
        library();
        try (NetrootServer server = NetrootServer.start(TestConfigs.loopback(data(), tmp));
             RemoteControl api = RemoteControl.connect(data()).orElseThrow()) {
            List<ChangeEvent> changes = new CopyOnWriteArrayList<>();
            AutoCloseable stream = api.subscribe(0, changes::add);
            int port = server.service(HttpService.class).port();
            String script = "/boot/" + MAC + ".ipxe";

            ok("client", "edit", "pc1", "--boot", "kernel", "--kernel", "vmlinuz", "--initrd", "initrd.img",
                    "--cmdline", "console=ttyS0 me=${client} ip=${ip} nbd=${nbd-server}/${nbd-export}");
            String kernel = get(port, script);
            assertTrue(kernel.contains("\nimgargs vmlinuz initrd=initrd console=ttyS0 me=pc1 ip=127.0.0.1"
                    + " nbd=127.0.0.1:10809/pc1-disk || goto failed\n"), kernel);
            assertTrue(kernel.contains("\nkernel --name vmlinuz http://127.0.0.1:" + port + "/assets/vmlinuz"), kernel);

            ok("client", "edit", "pc1", "--boot", "install", "--installer", "debian.iso", "--then", "sanboot");
            String installer = get(port, script);
            assertTrue(installer.contains("\nsanhook --drive 0x80 iscsi:127.0.0.1:") && installer.contains(
                    "\nsanboot --no-describe --drive 0x81 http://127.0.0.1:" + port + "/assets/debian.iso"), installer);
            String volumeFirst = get(port, script);
            assertTrue(volumeFirst.contains("|| goto installer\n"), "the installer ran: the volume first\n" + volumeFirst);
            String fallback = get(port, "/boot/" + MAC + "/installer.ipxe");
            assertTrue(fallback.contains("debian.iso"), "the volume did not boot: the installer again\n" + fallback);
            get(port, script); // the installer finished: the volume first
            assertEquals(BootMode.INSTALL, api.clients().getFirst().bootMode());
            get(port, script); // it booted the volume and comes back: done
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (api.clients().getFirst().bootMode() != BootMode.SANBOOT && System.nanoTime() < deadline) Thread.sleep(20);
            Client pc1 = api.clients().getFirst();
            assertEquals(BootMode.SANBOOT, pc1.bootMode(), "switched after its first boot from the volume");
            assertEquals("debian.iso", pc1.boot().install().installer(), "the install options stay for another time");
            assertTrue(get(port, script).contains("\nsanboot iscsi:127.0.0.1:"));
            while (changes.stream().noneMatch(e -> e.type() == ChangeType.BOOT
                    && e.payloadAs(BootEvent.class).type() == BootEventType.BOOT_MODE_CHANGED) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(changes.stream().anyMatch(e -> e.type() == ChangeType.CLIENT_UPDATED && e.subject().equals("pc1")
                    && e.payloadAs(Client.class).bootMode() == BootMode.SANBOOT), "the switch is a change: " + changes);
            List<BootEvent> events = api.clientEvents("pc1", 0, 100);
            assertTrue(events.stream().anyMatch(e -> e.type() == BootEventType.BOOT_MODE_CHANGED
                    && e.detail().contains("boot mode sanboot from now on")), "" + events);
            assertTrue(events.stream().anyMatch(e -> e.type() == BootEventType.SCRIPT_SERVED
                    && e.detail().startsWith("kernel vmlinuz + initrd.img")), "the script's event names mode and assets");
            assertFalse(events.stream().anyMatch(e -> e.type() == BootEventType.ERROR), "" + events);
            stream.close();
        }
    }
}
