package org.netroot.server.boot;

import java.util.List;

/** The ids of a boot menu's entries: iPXE item names, and what {@code --menu-default} takes. */
public final class MenuEntries {
    public static final String VOLUME = "volume";
    public static final String KERNEL = "kernel";
    public static final String RAMDISK = "ramdisk";
    public static final String INSTALL = "install";
    public static final String LOCAL = "local";
    public static final String SHELL = "shell";
    /** An ISO of the library: "install-" and the asset's name. */
    public static final String INSTALL_ISO_PREFIX = "install-";

    /** The fixed entries, in menu order (ISO entries come after "install"). */
    public static final List<String> FIXED = List.of(VOLUME, KERNEL, RAMDISK, INSTALL, LOCAL, SHELL);

    private MenuEntries() {
    }

    public static String installIso(String assetName) {
        return INSTALL_ISO_PREFIX + assetName;
    }
}
