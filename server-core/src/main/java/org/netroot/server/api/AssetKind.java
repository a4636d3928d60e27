package org.netroot.server.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What an asset of the library is, which decides where a boot mode may name it. */
public enum AssetKind {
    /** A Linux kernel (bzImage, EFI stub): {@code kernel}, {@code ramdisk}, a kernel {@code install}. */
    KERNEL,
    /** An initramfs beside a kernel. */
    INITRD,
    /** A bootable CD/DVD image: an {@code install} ISO, booted over HTTP as a second drive. */
    ISO,
    /** A root file system image a {@code ramdisk} boot copies into RAM. */
    ROOT_IMAGE;

    /** The word the command line uses: "kernel", "initrd", "iso", "root-image". */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static AssetKind byId(String text) {
        if (text != null) {
            for (AssetKind k : values()) {
                if (k.id().equalsIgnoreCase(text.trim()) || k.name().equalsIgnoreCase(text.trim())) return k;
            }
        }
        throw new IllegalArgumentException("no asset kind " + text + ": use one of "
                + Arrays.stream(values()).map(AssetKind::id).collect(Collectors.joining(", ")));
    }

    /** The kind a file name suggests (vmlinuz*, initrd*, *.iso, *.squashfs...), null when it says nothing. */
    public static AssetKind guess(String fileName) {
        String n = fileName.toLowerCase(Locale.ROOT);
        int slash = n.lastIndexOf('/');
        if (slash >= 0) n = n.substring(slash + 1);
        if (n.endsWith(".iso")) return ISO;
        if (n.startsWith("vmlinuz") || n.startsWith("bzimage") || n.startsWith("linux") || n.endsWith(".efi")
                || n.startsWith("kernel")) {
            return KERNEL;
        }
        if (n.startsWith("initrd") || n.startsWith("initramfs") || n.endsWith(".cpio") || n.endsWith(".cpio.gz")
                || n.endsWith(".cpio.xz") || n.endsWith(".cpio.zst")) {
            return INITRD;
        }
        if (n.endsWith(".squashfs") || n.endsWith(".sqfs") || n.endsWith(".img") || n.endsWith(".ext4")
                || n.endsWith(".tar") || n.endsWith(".tar.gz") || n.endsWith(".tar.xz") || n.endsWith(".tar.zst")) {
            return ROOT_IMAGE;
        }
        return null;
    }
}
