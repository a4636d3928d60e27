package org.netroot.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The SAN disks the lab clients boot, built once per test run into {@code target/lab-disks} and shared
 * by every test (they are copied into each server's volume store, never written in place):
 * <ul>
 * <li>BIOS: sector 0 is {@code lab/bootsector.asm}, LBA 1 holds {@link #LBA1_STRING}; the boot sector
 * prints it and writes {@link #marker} to LBA 2: {@link #MARKER} and the iSCSI target name iPXE left in
 * the iBFT, so each client's write names its own target (the client).</li>
 * <li>UEFI: a GPT disk whose EFI system partition holds {@code \EFI\BOOT\BOOTX64.EFI} built from
 * {@code lab/bootx64.asm}, which prints {@link #UEFI_BANNER}.</li>
 * </ul>
 * 16 MiB at least: iPXE's INT 13h emulation derives a 255-head, 63-sector geometry and a disk under one
 * cylinder (about 8 MiB) has zero cylinders, so every CHS read of the boot sector fails with
 * "Input/output error".
 */
public final class BootDisks {
    public static final String BIOS_BANNER = "NETROOT-LAB BIOS boot sector running";
    public static final String LBA1_STRING = "NETROOT-LAB-LBA1 known string 7f3a";
    public static final String MARKER = "NETROOT-LAB-MARKER-LBA2 written by the boot sector";
    public static final String UEFI_BANNER = "NETROOT-LAB UEFI BOOTX64.EFI running from the SAN disk";
    public static final String DONE = "NETROOT-LAB DONE";
    /** isa-debug-exit status of a boot program that reached its end: (0x10 << 1) | 1. */
    public static final int SUCCESS_EXIT_CODE = 33;

    private static final long BIOS_DISK_BYTES = 16L << 20;
    private static final long UEFI_DISK_BYTES = 32L << 20;
    private static final long ESP_OFFSET = 1L << 20;
    private static final Path DIR = Path.of("target", "lab-disks").toAbsolutePath();

    private static Path biosDisk;
    private static Path uefiDisk;

    private BootDisks() {
    }

    public static synchronized Path biosDisk() throws IOException, InterruptedException {
        if (biosDisk == null) {
            Files.createDirectories(DIR);
            Path sector = assemble("bootsector");
            Path disk = DIR.resolve("bios.img");
            Files.deleteIfExists(disk);
            try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
                f.setLength(BIOS_DISK_BYTES);
                byte[] boot = Files.readAllBytes(sector);
                if (boot.length != 512) throw new IOException("boot sector is " + boot.length + " bytes, not 512");
                f.write(boot);
                f.seek(512);
                f.write((LBA1_STRING + "\0").getBytes(StandardCharsets.US_ASCII));
            }
            biosDisk = disk;
        }
        return biosDisk;
    }

    public static synchronized Path uefiDisk() throws IOException, InterruptedException {
        if (uefiDisk == null) {
            Files.createDirectories(DIR);
            Path efi = assemble("bootx64");
            Path disk = DIR.resolve("uefi.img");
            Files.deleteIfExists(disk);
            try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
                f.setLength(UEFI_DISK_BYTES);
            }
            String img = disk.toString();
            String esp = img + "@@" + ESP_OFFSET;
            long espKib = 30 * 1024;
            run("sgdisk", "-o", img);
            run("sgdisk", "-n", "1:" + ESP_OFFSET / 512 + ":+" + espKib + "K", "-t", "1:ef00", "-c", "1:ESP", img);
            run("mkfs.vfat", "--offset=" + ESP_OFFSET / 512, "-n", "NETROOTLAB", img, Long.toString(espKib));
            run("mmd", "-i", esp, "::/EFI", "::/EFI/BOOT");
            run("mcopy", "-i", esp, efi.toString(), "::/EFI/BOOT/BOOTX64.EFI");
            uefiDisk = disk;
        }
        return uefiDisk;
    }

    /** What the boot sector writes to LBA 2 when {@code client} boots it over iSCSI. */
    public static String marker(String client) {
        return MARKER + " for " + org.netroot.server.api.Client.IQN_PREFIX + ":" + client;
    }

    public static String lba2Text(Path image) throws IOException {
        byte[] sector = new byte[512];
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "r")) {
            f.seek(1024);
            f.readFully(sector);
        }
        int end = 0;
        while (end < sector.length && sector[end] >= 0x20 && sector[end] < 0x7f) end++;
        return new String(sector, 0, end, StandardCharsets.US_ASCII);
    }

    /** nasm -f bin of {@code lab/NAME.asm} from the test resources. */
    private static Path assemble(String name) throws IOException, InterruptedException {
        Path source = DIR.resolve(name + ".asm");
        try (InputStream in = BootDisks.class.getResourceAsStream("/lab/" + name + ".asm")) {
            if (in == null) throw new IOException("test resource lab/" + name + ".asm missing");
            Files.copy(in, source, StandardCopyOption.REPLACE_EXISTING);
        }
        Path out = DIR.resolve(name + ".bin");
        run("nasm", "-f", "bin", "-o", out.toString(), source.toString());
        return out;
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Processes.Result r = Processes.run(60, List.of(command));
        if (r.exitCode() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + r.exitCode() + "): " + r.all());
        }
    }
}
