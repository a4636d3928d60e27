package org.netroot.server.api;

/**
 * The {@link BootMode#KERNEL} options: a kernel and an initrd from the asset library (by name) and a
 * kernel command line, either a template with {@code ${...}} variables or the name of a shipped one
 * ("debian-iscsi", "dracut-iscsi", "nbd-root"), optionally followed by more arguments.
 */
public record KernelBoot(String kernel, String initrd, String cmdline) {
}
