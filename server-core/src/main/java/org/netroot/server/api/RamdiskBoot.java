package org.netroot.server.api;

/**
 * The {@link BootMode#RAMDISK} options: a kernel and an initrd that fetch the root image (an asset)
 * over HTTP into RAM; once booted the client needs no server. {@code cmdline} is a template as in
 * {@link KernelBoot}; it must say where the image is ({@code ${root-image-url}}), null takes the
 * shipped "live-fetch" template.
 */
public record RamdiskBoot(String kernel, String initrd, String rootImage, String cmdline) {
    /** The names of the shipped templates that copy the root image into RAM (see {@link KernelBoot#SHIPPED_TEMPLATES}). */
    public static final java.util.List<String> SHIPPED_TEMPLATES = java.util.List.of("live-fetch", "dracut-live");
}
