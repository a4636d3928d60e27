package org.netroot.app.ui.timeline;

/** What a bar on the timeline stands for, in the order a boot goes through them. */
public enum BootPhase {
    DHCP("DHCP"),
    BOOT_FILE("Boot file"),
    SCRIPT("Script"),
    ISCSI_LOGIN("iSCSI login"),
    FIRST_READ("First read"),
    OS_READING("OS reading"),
    FAILED("Failed step");

    private final String label;

    BootPhase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
