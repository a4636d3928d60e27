package org.netroot.server.api;

/**
 * The {@link BootMode#RAMDISK} options: a kernel and an initrd that fetch the root image (an asset)
 * over HTTP into RAM; once booted the client needs no server. {@code cmdline} is a template as in
 * {@link KernelBoot}; it must say where the image is ({@code ${root-image-url}}), null takes the
 * shipped "live-fetch" template.
 */
public record RamdiskBoot(String kernel, String initrd, String rootImage, String cmdline) {
}
