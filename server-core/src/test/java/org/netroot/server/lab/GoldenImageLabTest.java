package org.netroot.server.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.netroot.server.testing.BootDisks;
import org.netroot.server.testing.Processes;

/**
 * Issue 12's golden images, shown by real PCs: one golden image holding the lab's boot sector, three qcow2
 * overlays of it, three QEMU BIOS PCs booting them from one server at the same time. Each boot sector
 * writes its own marker (naming its client's iSCSI target) to LBA 2 of what it booted. Afterwards
 * {@code qemu-img compare} finds each overlay first differing from the golden image at LBA 2, the
 * overlay's bytes differ from the golden's in LBA 2 only, {@code qemu-img check} finds each overlay clean,
 * and the golden file's bytes are unchanged.
 */
@Tag("lab")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class GoldenImageLabTest {
    private static final List<String> PCS = List.of("a", "b", "c");
    private static final int SECTOR = 512;

    @Test
    void threePcsBootTheirOwnOverlaysOfOneGoldenImageAtOnce() throws Exception {
        LabPrerequisites.assumeBootLab();
        Path work = Files.createDirectories(Path.of("target", "lab-runs").toAbsolutePath().resolve("golden-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("HHmmss-SSS"))));
        Path disk = BootDisks.biosDisk();
        try (LabNetwork net = LabNetwork.create("golden", work);
             NetrootProcess netroot = new NetrootProcess(net)) {
            netroot.createVolume("golden", disk);
            netroot.cli("volume", "golden", "golden");
            Path goldenFile = fileOf(netroot, "golden");
            String goldenSum = sha256(goldenFile);
            for (int i = 0; i < PCS.size(); i++) {
                netroot.cli("volume", "clone", "golden", "disk-" + PCS.get(i));
                netroot.addClient("pc-" + PCS.get(i), mac(i), "disk-" + PCS.get(i));
            }
            netroot.serveFull();
            List<QemuClient> pcs = new ArrayList<>();
            try {
                for (int i = 0; i < PCS.size(); i++) pcs.add(QemuClient.bios(net, mac(i)).start());
                for (QemuClient pc : pcs) {
                    QemuClient.Outcome outcome = pc.awaitSerial(BootDisks.DONE, LabBoot.BOOT_TIMEOUT);
                    assertTrue(outcome.sawText() && outcome.exitedWith(BootDisks.SUCCESS_EXIT_CODE),
                            pc.failureReport(outcome, netroot.log()));
                }
            } finally {
                for (QemuClient pc : pcs) pc.close();
            }
            netroot.stop();

            assertEquals(goldenSum, sha256(goldenFile), "the golden image's bytes are unchanged");
            byte[] golden = Files.readAllBytes(disk);
            for (String pc : PCS) {
                Path overlay = fileOf(netroot, "disk-" + pc);
                Processes.Result check = Processes.run(60, "qemu-img", "check", overlay.toString());
                assertEquals(0, check.exitCode(), "qemu-img check of " + overlay + ":\n" + check.all());
                Processes.Result compare = Processes.run(60, "qemu-img", "compare", overlay.toString(), goldenFile.toString());
                assertEquals(1, compare.exitCode(), "the overlay differs from the golden image:\n" + compare.all());
                assertTrue(compare.stdout().contains("offset " + 2 * SECTOR + "!"), "first at LBA 2: " + compare.all());

                byte[] written = Files.readAllBytes(netroot.exportVolume("disk-" + pc, work.resolve(pc + ".raw")));
                assertEquals(golden.length, written.length);
                assertEquals(List.of(2), differingSectors(golden, written), "pc-" + pc + "'s overlay differs in LBA 2 only");
                assertEquals(BootDisks.marker("pc-" + pc), BootDisks.lba2Text(work.resolve(pc + ".raw")),
                        "pc-" + pc + " wrote its own marker");
                assertArrayEquals(Arrays.copyOfRange(golden, 0, 2 * SECTOR), Arrays.copyOfRange(written, 0, 2 * SECTOR),
                        "the boot sector and LBA 1 come from the golden image");
            }
        }
    }

    private static List<Integer> differingSectors(byte[] a, byte[] b) {
        List<Integer> out = new ArrayList<>();
        for (int s = 0; s * SECTOR < a.length; s++) {
            if (!Arrays.equals(a, s * SECTOR, (s + 1) * SECTOR, b, s * SECTOR, (s + 1) * SECTOR)) out.add(s);
        }
        return out;
    }

    /** The volume's file: {@code NAME.img} (raw) or {@code NAME.qcow2} in the data folder's volumes. */
    private static Path fileOf(NetrootProcess netroot, String name) throws IOException {
        try (Stream<Path> files = Files.list(netroot.dataDir().resolve("volumes"))) {
            List<Path> found = files.filter(f -> f.getFileName().toString().startsWith(name + ".")).toList();
            assertEquals(1, found.size(), "one file for volume " + name + ": " + found);
            return found.get(0);
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static String mac(int i) {
        return "52:54:00:4e:53:0" + (i + 1);
    }
}
