package org.netroot.server.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.testing.Processes;

/**
 * Issue 13: a real Linux whose root file system lives on a Netroot volume (a qcow2 overlay of a golden
 * image holding the installed system, as a room of PCs runs). A BIOS PC boots iPXE,
 * which sanboots the volume with mutual CHAP; SYSLINUX on the volume loads Debian's kernel and
 * initramfs through iPXE's INT 13h; the initramfs logs in again with the kernel's own initiator
 * (open-iscsi's iscsistart, from what iPXE left in the iBFT: target, initiator name, both CHAP
 * secrets) and mounts the root file system from it. The init script on that root counts boots in a
 * file; the second boot finds what the first wrote. The Debian tree is built with mmdebstrap from
 * Debian's packages once per cache folder ({@code -Dlab.cache}, default /var/cache/netroot-lab): the
 * first run takes minutes longer.
 */
@Tag("lab")
@Timeout(value = 40, unit = TimeUnit.MINUTES)
class LinuxRootLabTest {
    static final Path CACHE = Path.of(System.getProperty("lab.cache", "/var/cache/netroot-lab"));
    static final Duration LINUX_BOOT_TIMEOUT = Duration.ofSeconds(Long.getLong("lab.linuxBootTimeoutSeconds", 900));
    static final String MAC = "52:54:00:4c:4e:01";
    static final String SAID = "NETROOT-LINUX: ";

    @Test
    void debianBootsWithItsRootOnAVolumeAndKeepsWhatItWrote() throws Exception {
        LabPrerequisites.assumeBootLab();
        LabPrerequisites.assumeDebianImageBuild();
        Path work = Files.createDirectories(Path.of("target", "lab-runs").toAbsolutePath().resolve("linux-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS"))));
        Path disk = buildDisk(work);
        try (LabNetwork net = LabNetwork.create("linux", work);
             NetrootProcess netroot = new NetrootProcess(net)) {
            // the way a room of PCs runs: the installed system as a golden image, this PC on a qcow2 overlay of it
            netroot.createVolume("debian-golden", disk);
            Files.delete(disk); // the volume holds its own copy
            netroot.cli("volume", "golden", "debian-golden");
            netroot.cli("volume", "clone", "debian-golden", "debian");
            netroot.cli("client", "add", "linux-pc", "--mac", MAC, "--volume", "debian",
                    "--chap-secret", "lab-initiator-secret-1", "--mutual-chap-user", "netroot-lab",
                    "--mutual-chap-secret", "lab-target-secret-2");
            assertTrue(netroot.cli("client", "list").contains("mutual"), "the client uses mutual CHAP");
            netroot.serveFull();

            String first = boot(net, netroot);
            assertTrue(first.contains(SAID + "boots recorded before this one: 0, last note: none"), first);
            assertTrue(first.contains(SAID + "boot 1 wrote its note"), first);
            String second = boot(net, netroot);
            assertTrue(second.contains(SAID + "boots recorded before this one: 1, last note: written by boot 1"), second);
            assertTrue(second.contains(SAID + "boot 2 wrote its note"), second);
            netroot.stop();

            List<BootEvent> logins = netroot.storedEvents().stream().filter(e -> e.type() == BootEventType.ISCSI_LOGIN).toList();
            assertEquals(4, logins.size(), "each boot logs in twice: iPXE's sanboot, then the kernel's initiator: " + logins);
            assertTrue(logins.stream().allMatch(e -> e.detail().contains(" with mutual CHAP")),
                    "iPXE and the kernel (from the iBFT) both log in with mutual CHAP: " + logins);
            Path volume = netroot.dataDir().resolve("volumes").resolve("debian.qcow2");
            Processes.Result check = Processes.run(120, "qemu-img", "check", volume.toString());
            assertEquals(0, check.exitCode(), "the volume Linux wrote is clean for qemu-img check:\n" + check.all());
        }
    }

    /** Powers the PC on and waits until its Linux powered it off; returns what it printed. */
    private static String boot(LabNetwork net, NetrootProcess netroot) throws Exception {
        try (QemuClient pc = QemuClient.bios(net, MAC).withMemory(1024).start()) {
            QemuClient.Outcome outcome = pc.awaitSerial("wrote its note; powering off", LINUX_BOOT_TIMEOUT);
            assertTrue(outcome.sawText(), pc.failureReport(outcome, netroot.log()));
            String serial = outcome.serial();
            assertTrue(serial.contains(SAID + "root /dev/sd") && serial.contains("mounted read-write"),
                    "the root file system is the iSCSI disk:\n" + serial);
            assertTrue(serial.lines().anyMatch(l -> l.startsWith(SAID + "iscsi session to iqn.") && l.contains(" as iqn.")),
                    "the kernel's own initiator holds a session:\n" + serial);
            return serial;
        }
    }

    /** The Debian disk image (see {@code lab/debian-iscsi-root.sh}), in {@code work}. */
    private static Path buildDisk(Path work) throws Exception {
        Path script = work.resolve("debian-iscsi-root.sh");
        try (InputStream in = LinuxRootLabTest.class.getResourceAsStream("/lab/debian-iscsi-root.sh")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path disk = work.resolve("debian.img");
        Processes.Combined r = Processes.runCombined(1800, "bash", script.toString(), CACHE.toString(), disk.toString());
        assertEquals(0, r.exit(), "building the Debian disk failed:\n" + r.output());
        return disk;
    }
}
