package org.netroot.server.iscsi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;
import org.netroot.server.testing.BootDisks;
import org.netroot.server.testing.Processes;

/**
 * Real firmware: QEMU's SeaBIOS + iPXE NIC ROM sanboots the client's volume from our target.
 * QEMU user networking (no root): iPXE gets DHCP and its script from slirp, and reaches our
 * loopback portal at 10.0.2.2. The lab's boot sector prints over COM1 what it read from LBA 1 and
 * writes a marker to LBA 2, so the log proves reads and the volume file proves writes.
 */
@Tag("lab")
// longer than the default (junit-platform.properties): QEMU boots of up to 240 s each
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class IpxeSanbootTest {
    @TempDir
    Path dir;
    IscsiLab lab;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Processes.has("qemu-system-x86_64"), "qemu-system-x86_64 missing: apt-get install qemu-system-x86");
        assumeTrue(Files.exists(Path.of("/usr/lib/ipxe/qemu/pxe-e1000.rom")), "iPXE ROMs missing: apt-get install ipxe-qemu");
        assumeTrue(Processes.has("nasm"), "nasm missing: apt-get install nasm");
        lab = new IscsiLab(dir.resolve("data"));
    }

    @AfterEach
    void stop() {
        if (lab != null) lab.close();
    }

    /** Sector 0 and LBA 1 of the lab's BIOS boot disk (built once per run). */
    private static byte[] bootSectorAndLba1() throws Exception {
        return Arrays.copyOf(Files.readAllBytes(BootDisks.biosDisk()), 1024);
    }

    private Processes.Combined boot(Client pc, String... extraScriptLines) throws Exception {
        return boot(pc, 240, extraScriptLines);
    }

    private Processes.Combined boot(Client pc, long timeoutSeconds, String... extraScriptLines) throws Exception {
        try (FileChannel ch = FileChannel.open(lab.volumeFile(pc), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(bootSectorAndLba1()), 0);
        }
        Path tftp = Files.createDirectories(dir.resolve("tftp"));
        List<String> script = new ArrayList<>(List.of("#!ipxe", "set initiator-iqn " + pc.initiatorIqn()));
        script.addAll(List.of(extraScriptLines));
        script.add("sanboot iscsi:10.0.2.2::" + lab.service.port() + "::" + pc.targetIqn() + " || exit 1");
        Files.writeString(tftp.resolve("boot.ipxe"), String.join("\n", script) + "\n");
        Path serial = dir.resolve("serial.log");
        Processes.Combined r = Processes.runCombined(timeoutSeconds, "qemu-system-x86_64", "-accel", "tcg", "-display", "none", "-m", "256",
                "-serial", "file:" + serial, "-no-reboot", "-monitor", "none",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-netdev", "user,id=n0,tftp=" + tftp + ",bootfile=boot.ipxe",
                "-device", "e1000,netdev=n0,mac=52:54:00:00:00:01", "-boot", "order=n,reboot-timeout=1000"); // a failed boot ends QEMU (-no-reboot)
        String log = Files.exists(serial) ? Files.readString(serial, StandardCharsets.ISO_8859_1) : "";
        return new Processes.Combined(r.exit(), log + "\n--- qemu ---\n" + r.output());
    }

    @Test
    void ipxeSanbootsTheVolumeReadsAndWrites() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 8 << 20);
        Processes.Combined r = boot(pc);
        assertTrue(r.output().contains(BootDisks.LBA1_STRING), "LBA 1 read over iSCSI\n" + r.output());
        assertEquals(BootDisks.SUCCESS_EXIT_CODE, r.exit(), "the boot sector wrote LBA 2 and left QEMU\n" + r.output());
        assertEquals(BootDisks.marker("pc1"), BootDisks.lba2Text(lab.volumeFile(pc)),
                "the marker written to LBA 2, naming the client's own target (from the iBFT), is in the volume file");
        assertTrue(lab.awaitEvent(BootEventType.ISCSI_LOGIN, pc.initiatorIqn()), lab.events.toString());
        assertTrue(lab.awaitEvent(BootEventType.ISCSI_FIRST_READ, pc.targetIqn()), lab.events.toString());
        assertEquals(0, lab.errors.count("iSCSI"), "iPXE sends nothing we drop");
    }

    @Test
    void ipxeSanbootsWithMutualChap() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 8 << 20, "pc1user", "pc1-secret-123", "netroot", "target-secret-456");
        Processes.Combined r = boot(pc, "set username pc1user", "set password pc1-secret-123",
                "set reverse-username netroot", "set reverse-password target-secret-456");
        assertEquals(BootDisks.SUCCESS_EXIT_CODE, r.exit(), r.output());
        assertTrue(r.output().contains(BootDisks.LBA1_STRING), r.output());
    }

    @Test
    void ipxeWithAWrongChapSecretIsRefusedAndTheUserIsTold() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 8 << 20, "pc1user", "pc1-secret-123", null, null);
        Processes.Combined r = boot(pc, 90, "set username pc1user", "set password not-the-secret");
        assertTrue(!r.output().contains(BootDisks.LBA1_STRING), r.output());
        assertTrue(lab.awaitEvent(BootEventType.ERROR, "wrong CHAP secret for client pc1"), lab.events.toString());
        assertTrue(lab.events(BootEventType.ISCSI_LOGIN).isEmpty());
    }
}
