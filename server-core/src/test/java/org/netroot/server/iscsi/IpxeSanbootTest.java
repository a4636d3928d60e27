package org.netroot.server.iscsi;

import org.netroot.server.testing.Processes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEventType;
import org.netroot.server.api.Client;

/**
 * Real firmware: QEMU's SeaBIOS + iPXE NIC ROM sanboots the client's volume from our target.
 * QEMU user networking (no root): iPXE gets DHCP and its script from slirp, and reaches our
 * loopback portal at 10.0.2.2. The boot sector prints over COM1 what it read from LBA 1 and
 * copies itself to LBA 2, so the log proves reads and the volume file proves writes.
 */
@Tag("lab")
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

    private byte[] bootSector() throws Exception {
        Path asm = dir.resolve("sanboot-check.asm");
        try (InputStream in = getClass().getResourceAsStream("/iscsi/sanboot-check.asm")) {
            Files.write(asm, in.readAllBytes());
        }
        Path bin = dir.resolve("sanboot-check.bin");
        Processes.Combined r = Processes.runCombined(30, "nasm", "-f", "bin", "-o", bin.toString(), asm.toString());
        assertEquals(0, r.exit(), r.output());
        return Files.readAllBytes(bin);
    }

    private Processes.Combined boot(Client pc, String... extraScriptLines) throws Exception {
        return boot(pc, 240, extraScriptLines);
    }

    private Processes.Combined boot(Client pc, long timeoutSeconds, String... extraScriptLines) throws Exception {
        byte[] sector = bootSector();
        try (FileChannel ch = FileChannel.open(lab.volumeFile(pc), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(sector), 0);
            ch.write(ByteBuffer.wrap("read from LBA 1 over iSCSI\0".getBytes(StandardCharsets.US_ASCII)), 512);
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
        assertTrue(r.output().contains("read from LBA 1 over iSCSI"), r.output());
        assertEquals(99, r.exit(), "isa-debug-exit 0x31: the boot sector wrote LBA 2\n" + r.output());
        byte[] disk = Files.readAllBytes(lab.volumeFile(pc));
        // LBA 2 holds the copy of its boot sector the client wrote from memory (where it noted its drive number)
        String lba2 = new String(disk, 1024, 512, StandardCharsets.ISO_8859_1);
        assertTrue(lba2.contains("NETROOT-SANBOOT: boot sector running"), "LBA 2 was not written");
        assertArrayEquals(Arrays.copyOfRange(disk, 0, 64), Arrays.copyOfRange(disk, 1024, 1024 + 64));
        assertEquals(0x55, disk[1024 + 510]);
        assertTrue(lab.awaitEvent(BootEventType.ISCSI_LOGIN, pc.initiatorIqn()), lab.events.toString());
        assertTrue(lab.awaitEvent(BootEventType.ISCSI_FIRST_READ, pc.targetIqn()), lab.events.toString());
        assertEquals(0, lab.errors.count("iSCSI"), "iPXE sends nothing we drop");
    }

    @Test
    void ipxeSanbootsWithMutualChap() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 8 << 20, "pc1user", "pc1-secret-123", "netroot", "target-secret-456");
        Processes.Combined r = boot(pc, "set username pc1user", "set password pc1-secret-123",
                "set reverse-username netroot", "set reverse-password target-secret-456");
        assertEquals(99, r.exit(), r.output());
        assertTrue(r.output().contains("read from LBA 1 over iSCSI"), r.output());
    }

    @Test
    void ipxeWithAWrongChapSecretIsRefusedAndTheUserIsTold() throws Exception {
        Client pc = lab.addClient("pc1", "52:54:00:00:00:01", 8 << 20, "pc1user", "pc1-secret-123", null, null);
        Processes.Combined r = boot(pc, 90, "set username pc1user", "set password not-the-secret");
        assertTrue(!r.output().contains("read from LBA 1 over iSCSI"), r.output());
        assertTrue(lab.awaitEvent(BootEventType.ERROR, "wrong CHAP secret for client pc1"), lab.events.toString());
        assertTrue(lab.events(BootEventType.ISCSI_LOGIN).isEmpty());
    }
}
