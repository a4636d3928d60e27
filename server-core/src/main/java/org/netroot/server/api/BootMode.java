package org.netroot.server.api;

/** How a client boots once iPXE runs. Only SANBOOT is implemented now; the others come with later issues. */
public enum BootMode {
    /** iPXE sanboots the client's volume over iSCSI. */
    SANBOOT
}
