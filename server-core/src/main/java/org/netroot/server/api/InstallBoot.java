package org.netroot.server.api;

/**
 * The {@link BootMode#INSTALL} options: the installer, an asset that is either an ISO image (booted
 * over HTTP as a second drive) or a kernel, then with {@code initrd} and {@code cmdline} as in
 * {@link KernelBoot}. With {@code thenSanboot} the client switches to {@link BootMode#SANBOOT} after
 * its first successful boot from the volume the installer wrote.
 */
public record InstallBoot(String installer, String initrd, String cmdline, boolean thenSanboot) {
}
