package org.netroot.app.ui.timeline;

/** What a bar on the timeline stands for, in the order a boot goes through them. */
public enum BootPhase {
    DHCP("DHCP"),
    BOOT_FILE("Boot file"),
    SCRIPT("Script"),
    ISCSI_LOGIN("iSCSI login"),
    FIRST_READ("First read"),
    OS_READING("OS reading"),
    /** The boot left the server: RAM disk, local disk, a kernel with its root elsewhere. */
    HANDED_OVER("Handed over"),
    FAILED("Failed step");

    private final String label;

    BootPhase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
