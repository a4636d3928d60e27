package org.netroot.app.ui.wizard;

/** The wizard's pages, in order. */
public enum WizardStep {
    INTERFACE("Network"), DHCP("Addresses"), IPXE("Boot files"), FIRST_CLIENT("First PC");

    private final String title;

    WizardStep(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    public boolean last() {
        return this == values()[values().length - 1];
    }
}
