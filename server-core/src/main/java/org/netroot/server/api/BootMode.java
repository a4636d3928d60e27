package org.netroot.server.api;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a client boots once iPXE runs. The options of the modes that take some are in
 * {@link BootOptions}; a client keeps the options of every mode it was given, so switching back
 * and forth does not lose them.
 */
public enum BootMode {
    /** iPXE sanboots the client's volume over iSCSI. */
    SANBOOT,
    /**
     * The client's (blank) volume is attached and kept, then an installer boots (an ISO from the
     * asset library, or a kernel and initrd) and writes onto it ({@link InstallBoot}).
     */
    INSTALL,
    /** A kernel and initrd from the asset library with a command-line template ({@link KernelBoot}). */
    KERNEL,
    /** A kernel and initrd that fetch a root image into RAM ({@link RamdiskBoot}). */
    RAMDISK,
    /** An iPXE menu of the client's choices, with a timeout and a default ({@link MenuBoot}). */
    MENU,
    /** iPXE exits: the firmware goes on to the next boot device (the local disk). */
    LOCAL,
    /** DHCP does not answer this machine's network-boot requests at all. */
    IGNORE;

    /** The word the command line and the app use: "sanboot", "kernel"... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode a user typed, in any case; refused with the list of modes when there is none of that name. */
    public static BootMode byId(String text) {
        if (text != null) {
            for (BootMode m : values()) if (m.id().equalsIgnoreCase(text.trim())) return m;
        }
        throw new IllegalArgumentException("no boot mode " + text + ": use one of "
                + Arrays.stream(values()).map(BootMode::id).collect(Collectors.joining(", ")));
    }
}
