package org.netroot.server.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Lease;
import org.netroot.server.testing.BootDisks;

/**
 * Boot modes on a real PC (QEMU BIOS with the iPXE option ROM, full DHCP, in a namespace of its own):
 * <ul>
 * <li>menu: the script Netroot writes runs in iPXE, waits out its timeout and boots its default entry,
 * the client's volume (the lab's boot sector, which prints and leaves through isa-debug-exit);</li>
 * <li>kernel: Debian's kernel and a tiny initramfs from the asset library over HTTP, with a templated
 * command line; the initramfs prints the command line it got and the iBFT iPXE left (the volume was
 * attached for it), so the test sees every variable expanded for this PC, then mounts its root from the
 * volume over iSCSI (Debian's iscsistart, from the iBFT) and prints a marker only that volume holds; a
 * second boot with an NBD-only line mounts it over NBD;</li>
 * <li>ramdisk: the initramfs fetches the root image into RAM and switches to it; the test stops the
 * server and the PC still answers on its serial console from its RAM root;</li>
 * <li>install: a test installer writes a boot disk onto the blank volume and reboots, the PC boots
 * what it wrote, and the next power-on switches the client to sanboot.</li>
 * </ul>
 * The Debian kernel and the kernel-mode initramfs are built once for the class.
 */
@Tag("lab")
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class BootModesLabTest {
    static final Duration KERNEL_TIMEOUT = Duration.ofSeconds(Long.getLong("lab.kernelBootTimeoutSeconds", 600));

    @BeforeEach
    void labIsHere() {
        LabPrerequisites.assumeBootLab();
    }

    private static TinyLinux.DebianKernel debian;

    /** Debian's kernel, extracted once for the class: every Linux boot here uses the same one. */
    private static synchronized TinyLinux.DebianKernel debian() throws Exception {
        if (debian == null) debian = TinyLinux.debianKernel(work("debian-kernel"));
        return debian;
    }

    private static Path kernelInitrd;

    /** The kernel mode's initramfs (root over iSCSI or NBD), built once for the class. */
    private static synchronized Path kernelInitrd() throws Exception {
        if (kernelInitrd == null) kernelInitrd = TinyLinux.initramfs(work("kernel-initrd"), debian());
        return kernelInitrd;
    }

    /** Text only this run's volume holds, so the console can only print it by reading the volume. */
    private static String marker(String volume) {
        return "root file system of " + volume + " " + Long.toHexString(new Random().nextLong() & Long.MAX_VALUE);
    }

    private static Path work(String label) throws Exception {
        return Files.createDirectories(Path.of("target", "lab-runs").toAbsolutePath().resolve(label + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS"))));
    }

    @Test
    void theMenuWaitsItsTimeoutThenBootsItsDefaultEntryTheVolume() throws Exception {
        String mac = "52:54:00:4d:45:01";
        Path work = work("menu");
        try (LabNetwork net = LabNetwork.create("menu", work);
             NetrootProcess netroot = new NetrootProcess(net)) {
            netroot.createVolume("disk-menu", BootDisks.biosDisk());
            netroot.addClient("pc-menu", mac, "disk-menu");
            netroot.cli("client", "edit", "pc-menu", "--boot", "menu", "--menu-timeout", "4");
            netroot.serveFull();
            try (QemuClient pc = QemuClient.bios(net, mac).start()) {
                QemuClient.Outcome outcome = pc.awaitSerial(BootDisks.DONE, LabBoot.BOOT_TIMEOUT);
                assertTrue(outcome.sawText() && outcome.exitedWith(BootDisks.SUCCESS_EXIT_CODE),
                        pc.failureReport(outcome, netroot.log()));
                assertTrue(outcome.serial().contains(BootDisks.BIOS_BANNER), outcome.serial());
            }
            netroot.stop();
            List<BootEvent> events = netroot.storedEvents().stream().filter(e -> mac.equals(e.mac())).toList();
            BootEvent script = events.stream().filter(e -> e.type() == BootEventType.SCRIPT_SERVED).findFirst().orElseThrow();
            assertEquals("menu of volume, local, shell; default volume after 4 s", script.detail());
            BootEvent login = events.stream().filter(e -> e.type() == BootEventType.ISCSI_LOGIN).findFirst().orElseThrow();
            Duration waited = Duration.between(script.at(), login.at());
            assertTrue(waited.compareTo(Duration.ofSeconds(4)) >= 0,
                    "nobody chose: the menu waited its 4 s before booting the volume, took " + waited + "\n" + events);
            assertTrue(events.stream().noneMatch(e -> e.type() == BootEventType.ERROR), "" + events);
        }
    }

    @Test
    void debiansKernelBootsOverHttpWithItsCommandLineExpandedForThisPc() throws Exception {
        LabPrerequisites.assumeLinuxBootModes();
        String mac = "52:54:00:4b:45:01";
        Path work = work("kernel");
        Path kernel = debian().kernel();
        Path initrd = kernelInitrd();
        String marker = marker("disk-kernel");
        try (LabNetwork net = LabNetwork.create("kernel", work);
             NetrootProcess netroot = new NetrootProcess(net)) {
            netroot.createVolume("disk-kernel", TinyLinux.markerVolume(work, marker, 16));
            netroot.addClient("pc-kernel", mac, "disk-kernel"); // CHAP both ways, as new clients get it
            netroot.cli("asset", "add", kernel.toString(), "debian-kernel");
            netroot.cli("asset", "add", initrd.toString(), "lab-initrd", "--kind", "initrd");
            netroot.cli("client", "edit", "pc-kernel", "--boot", "kernel", "--kernel", "debian-kernel", "--initrd",
                    "lab-initrd", "--cmdline", "console=ttyS0,115200 panic=-1 netroot.mac=${mac} netroot.ip=${ip}"
                            + " netroot.server=${server} netroot.client=${client} netroot.target=${target-iqn}"
                            + " netroot.initiator=${initiator-iqn} netroot.volume=${volume}"
                            + " nbdroot=${nbd-server}/${nbd-export}");
            netroot.serveFull();
            String serial;
            try (QemuClient pc = QemuClient.bios(net, mac).withMemory(512).start()) {
                QemuClient.Outcome outcome = pc.awaitSerial(TinyLinux.DONE, KERNEL_TIMEOUT);
                assertTrue(outcome.sawText(), pc.failureReport(outcome, netroot.log()));
                serial = outcome.serial();
            }
            netroot.stop();
            String ip = netroot.storedLeases().stream().filter(l -> mac.equals(l.mac())).map(Lease::ip).findFirst()
                    .orElseThrow();
            String server = net.serverAddress();
            String cmdline = serial.lines().filter(l -> l.startsWith(TinyLinux.SAID + "cmdline: ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no command line on the serial console:\n" + serial));
            assertTrue(cmdline.endsWith("cmdline: initrd=initrd console=ttyS0,115200 panic=-1 netroot.mac=" + mac
                    + " netroot.ip=" + ip + " netroot.server=" + server + " netroot.client=pc-kernel"
                    + " netroot.target=iqn.2026-01.org.netroot:pc-kernel"
                    + " netroot.initiator=iqn.2026-01.org.netroot:initiator:pc-kernel netroot.volume=disk-kernel"
                    + " nbdroot=" + server + ":10809/disk-kernel"), cmdline);
            String ibft = serial.lines().filter(l -> l.startsWith(TinyLinux.SAID + "ibft: ")).findFirst().orElseThrow();
            assertTrue(ibft.contains("ibft: initiator=iqn.2026-01.org.netroot:initiator:pc-kernel"
                    + " target=iqn.2026-01.org.netroot:pc-kernel target-ip=" + server + " lun=")
                    && ibft.endsWith(" chap=iqn.2026-01.org.netroot:initiator:pc-kernel"),
                    "iPXE attached the volume and described it in the iBFT, CHAP too, for the kernel: " + ibft);
            assertTrue(serial.contains(TinyLinux.SAID + "root over iscsi: " + marker),
                    "the initramfs logged in with the iBFT's details and mounted the volume:\n" + serial);

            List<BootEvent> events = netroot.storedEvents().stream().filter(e -> mac.equals(e.mac())).toList();
            BootEvent script = events.stream().filter(e -> e.type() == BootEventType.SCRIPT_SERVED).findFirst().orElseThrow();
            assertTrue(script.detail().startsWith("kernel debian-kernel + lab-initrd, cmdline \"console=ttyS0,115200"),
                    "the script's event names the mode, the assets and the expanded line: " + script.detail());
            assertTrue(script.detail().endsWith("volume attached as iqn.2026-01.org.netroot:pc-kernel"), script.detail());
            for (String asset : List.of("debian-kernel (kernel)", "lab-initrd (initrd)")) {
                long size = Files.size(asset.startsWith("debian") ? kernel : initrd);
                assertTrue(events.stream().anyMatch(e -> e.type() == BootEventType.BOOT_FILE_SENT
                        && e.detail().equals("http asset " + asset + ", boot mode kernel") && e.bytes() == size
                        && e.durationMs() != null), asset + " sent whole, with its size and time: " + events);
            }
            assertTrue(events.stream().filter(e -> e.type() == BootEventType.ISCSI_LOGIN
                    && e.detail().contains("mutual CHAP")).count() >= 2,
                    "iPXE's sanhook, then the kernel's initiator logged in with CHAP: " + events);
        }
    }

    @Test
    void debiansKernelMountsItsRootFromTheVolumeOverNbd() throws Exception {
        LabPrerequisites.assumeLinuxBootModes();
        String mac = "52:54:00:4e:42:01";
        Path work = work("kernel-nbd");
        String marker = marker("disk-nbd");
        try (LabNetwork net = LabNetwork.create("nbdroot", work);
             NetrootProcess netroot = new NetrootProcess(net)) {
            netroot.createVolume("disk-nbd", TinyLinux.markerVolume(work, marker, 16));
            netroot.addClient("pc-nbd", mac, "disk-nbd");
            netroot.cli("asset", "add", debian().kernel().toString(), "debian-kernel");
            netroot.cli("asset", "add", kernelInitrd().toString(), "lab-initrd", "--kind", "initrd");
            // no iSCSI variable in the line: iPXE attaches nothing, the volume is the NBD client's alone
            netroot.cli("client", "edit", "pc-nbd", "--boot", "kernel", "--kernel", "debian-kernel", "--initrd",
                    "lab-initrd", "--cmdline", "console=ttyS0,115200 panic=-1 netroot.ip=${ip}"
                            + " nbdroot=${nbd-server}/${nbd-export}");
            netroot.serveFull();
            String serial;
            try (QemuClient pc = QemuClient.bios(net, mac).withMemory(512).start()) {
                QemuClient.Outcome outcome = pc.awaitSerial(TinyLinux.DONE, KERNEL_TIMEOUT);
                assertTrue(outcome.sawText(), pc.failureReport(outcome, netroot.log()));
                serial = outcome.serial();
            }
            netroot.stop();
            assertTrue(serial.contains(TinyLinux.SAID + "ibft: none"), "nothing was sanhook'd:\n" + serial);
            assertTrue(serial.contains(TinyLinux.SAID + "root over nbd: " + marker),
                    "the initramfs connected nbd-client to the export and mounted the volume:\n" + serial);
            List<BootEvent> events = netroot.storedEvents().stream().filter(e -> mac.equals(e.mac())).toList();
            assertTrue(events.stream().anyMatch(e -> e.type() == BootEventType.NBD_CONNECT), "" + events);
            assertTrue(events.stream().noneMatch(e -> e.type() == BootEventType.ISCSI_LOGIN
                    || e.type() == BootEventType.NBD_REFUSED || e.type() == BootEventType.ERROR), "" + events);
        }
    }

    @Test
    void aRamdiskClientFetchesItsRootIntoRamAndGoesOnAnsweringWithTheServerStopped() throws Exception {
        LabPrerequisites.assumeLinuxBootModes();
        String mac = "52:54:00:52:44:01";
        Path work = work("ramdisk");
        String ready = "NETROOT-RAMDISK root in RAM, shell on the console";
        // only in the root image, and the image's init never prints it: the console can answer it only from there
        String secret = "secret-" + Long.toHexString(new Random().nextLong() & Long.MAX_VALUE);
        Path kernel = debian().kernel();
        Path initrd = TinyLinux.ramdiskInitramfs(work, TinyLinux.debianModules(work, "e1000"));
        Path image = TinyLinux.rootImage(work, ready, secret);
        try (LabNetwork net = LabNetwork.create("ramdisk", work);
             NetrootProcess netroot = new NetrootProcess(net)) {
            netroot.createVolume("disk-ramdisk", BootDisks.biosDisk()); // a client has one; the ramdisk boot never touches it
            netroot.addClient("pc-ramdisk", mac, "disk-ramdisk");
            netroot.cli("asset", "add", kernel.toString(), "debian-kernel");
            netroot.cli("asset", "add", initrd.toString(), "ramdisk-initrd", "--kind", "initrd");
            netroot.cli("asset", "add", image.toString(), "lab-root", "--kind", "root-image");
            netroot.cli("client", "edit", "pc-ramdisk", "--boot", "ramdisk", "--kernel", "debian-kernel", "--initrd",
                    "ramdisk-initrd", "--root-image", "lab-root",
                    "--cmdline", "console=ttyS0,115200 panic=-1 netroot.ip=${ip} netroot.root=${root-image-url}");
            netroot.serveFull();
            try (QemuClient pc = QemuClient.bios(net, mac).withMemory(512).withSerialInput().start()) {
                QemuClient.Outcome booted = new QemuClient.Outcome(pc.awaitText(ready, KERNEL_TIMEOUT), null,
                        Duration.ZERO, pc.serialText());
                assertTrue(booted.sawText(), pc.failureReport(booted, netroot.log()));
                netroot.stop(); // waits for the process to end (a JVM ended by SIGTERM exits 143)

                pc.typeOnSerial("cat /etc/netroot-secret");
                boolean answered = pc.awaitText(secret, Duration.ofSeconds(60));
                QemuClient.Outcome after = new QemuClient.Outcome(answered, null, Duration.ZERO, pc.serialText());
                assertTrue(answered, "with the server stopped the client still answers from its RAM root: "
                        + pc.failureReport(after, netroot.log()));
                String serial = pc.serialText();
                assertTrue(serial.contains(TinyLinux.SAID + "fetching http://" + net.serverAddress()), serial);
            }
            long imageSize = Files.size(image);
            List<BootEvent> events = netroot.storedEvents().stream().filter(e -> mac.equals(e.mac())).toList();
            BootEvent script = events.stream().filter(e -> e.type() == BootEventType.SCRIPT_SERVED).findFirst().orElseThrow();
            assertTrue(script.detail().startsWith("ramdisk debian-kernel + ramdisk-initrd")
                    && script.detail().contains("root image lab-root"), script.detail());
            assertTrue(events.stream().anyMatch(e -> e.type() == BootEventType.BOOT_FILE_SENT
                    && e.detail().equals("http asset lab-root (root-image), boot mode ramdisk")
                    && e.bytes() == imageSize), "the root image went out whole: " + events);
            assertTrue(events.stream().anyMatch(e -> e.type() == BootEventType.HANDED_OVER
                    && e.detail().startsWith("running from RAM: root image lab-root sent")),
                    "the boot left the server (the card says booted, not booting forever): " + events);
            assertTrue(events.stream().noneMatch(e -> e.type() == BootEventType.ERROR), "" + events);
        }
    }

    @Test
    void anInstallerWritesTheBlankVolumeThenThePcBootsWhatItWroteAndSwitchesToSanboot() throws Exception {
        LabPrerequisites.assumeLinuxBootModes();
        String mac = "52:54:00:49:4e:01";
        Path work = work("install");
        Path system = BootDisks.biosDisk(); // the lab's boot sector: prints its banner, leaves through isa-debug-exit
        Path initrd = TinyLinux.installerInitramfs(work, debian(), system);
        try (LabNetwork net = LabNetwork.create("install", work);
             NetrootProcess netroot = new NetrootProcess(net)) {
            netroot.cli("volume", "create", "disk-install", "--size", "32M");
            netroot.addClient("pc-install", mac, "disk-install");
            netroot.cli("asset", "add", debian().kernel().toString(), "debian-kernel");
            netroot.cli("asset", "add", initrd.toString(), "installer-initrd", "--kind", "initrd");
            netroot.cli("client", "edit", "pc-install", "--boot", "install", "--installer", "debian-kernel",
                    "--initrd", "installer-initrd", "--cmdline", "console=ttyS0,115200 panic=-1 netroot.ip=${ip}",
                    "--then", "sanboot");
            netroot.serveFull();
            // one power-on: the installer writes the volume and reboots, the PC then boots what it wrote
            try (QemuClient pc = QemuClient.bios(net, mac).withMemory(512).withReboots().start()) {
                QemuClient.Outcome outcome = pc.awaitSerial(BootDisks.DONE, KERNEL_TIMEOUT);
                assertTrue(outcome.sawText() && outcome.exitedWith(BootDisks.SUCCESS_EXIT_CODE),
                        pc.failureReport(outcome, netroot.log()));
                String serial = outcome.serial();
                int installed = serial.indexOf(TinyLinux.INSTALLED);
                assertTrue(installed >= 0 && serial.indexOf(BootDisks.BIOS_BANNER, installed) > installed,
                        "the installer wrote the volume, then the volume booted:\n" + serial);
            }
            // the next power-on asks for its script again without going back to the installer: the install is done
            try (QemuClient pc = QemuClient.bios(net, mac).start()) {
                QemuClient.Outcome outcome = pc.awaitSerial(BootDisks.DONE, LabBoot.BOOT_TIMEOUT);
                assertTrue(outcome.sawText() && outcome.exitedWith(BootDisks.SUCCESS_EXIT_CODE),
                        pc.failureReport(outcome, netroot.log()));
            }
            netroot.stop();
            List<BootEvent> events = netroot.storedEvents().stream().filter(e -> mac.equals(e.mac())).toList();
            List<String> scripts = events.stream().filter(e -> e.type() == BootEventType.SCRIPT_SERVED)
                    .map(BootEvent::detail).toList();
            assertTrue(scripts.size() == 3 && scripts.get(0).startsWith("install onto iqn.2026-01.org.netroot:pc-install from")
                    && scripts.get(1).contains("the volume first") && scripts.get(2).contains("the volume first"),
                    "installer, then the volume twice: " + scripts);
            assertTrue(events.stream().anyMatch(e -> e.type() == BootEventType.BOOT_MODE_CHANGED
                    && e.detail().endsWith("boot mode sanboot from now on")), "" + events);
            assertTrue(netroot.cli("client", "list").lines().anyMatch(l -> l.startsWith("pc-install") && l.contains("mode=sanboot")),
                    netroot.cli("client", "list"));
            byte[] written = Files.readAllBytes(netroot.exportVolume("disk-install", work.resolve("exported.img")));
            byte[] image = Files.readAllBytes(system);
            // LBA 0-1 and 3 on as the installer wrote them; LBA 2 is where the booted system left its marker
            assertTrue(Arrays.equals(written, 0, 1024, image, 0, 1024)
                    && Arrays.equals(written, 1536, image.length, image, 1536, image.length),
                    "the volume holds the system the installer wrote");
            assertEquals(BootDisks.MARKER, new String(written, 1024, BootDisks.MARKER.length(),
                    StandardCharsets.US_ASCII), "the system booted from the volume wrote to it");
        }
    }
}
