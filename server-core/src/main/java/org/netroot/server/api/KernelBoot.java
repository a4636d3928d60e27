package org.netroot.server.api;

/**
 * The {@link BootMode#KERNEL} options: a kernel and an initrd from the asset library (by name) and a
 * kernel command line, either a template with {@code ${...}} variables or the name of a shipped one
 * ("debian-iscsi", "dracut-iscsi", "nbd-root"), optionally followed by more arguments.
 */
public record KernelBoot(String kernel, String initrd, String cmdline) {
    /**
     * The names of the shipped templates for a kernel on a root over the network, as the app offers them
     * (the texts live with the server's boot package, which a test holds these names to).
     */
    public static final java.util.List<String> SHIPPED_TEMPLATES = java.util.List.of("debian-iscsi", "dracut-iscsi",
            "nbd-root");
}
