package org.netroot.app.ui.clients;

import org.netroot.server.api.DiscoveredMachine;

/** A machine that PXE-booted but is no client, as its card shows it. */
public record DiscoveredCard(DiscoveredMachine machine) implements Card {
    public String mac() {
        return machine.mac();
    }

    public String firmware() {
        return Firmwares.ofArchitecture(machine.architecture());
    }

    public String vendor() {
        return machine.vendorClass() == null ? "-" : machine.vendorClass();
    }

    public String interfaceName() {
        return machine.interfaceName() == null ? "-" : machine.interfaceName();
    }

    /** "pc-" and the MAC's last three bytes: unique enough, and a valid client name. */
    public String suggestedName() {
        String hex = machine.mac().replace(":", "");
        return "pc-" + hex.substring(6);
    }

    /** The MAC as an id fragment ("52-54-00-..."): a colon would read as a CSS pseudo-class. */
    public String idSuffix() {
        return machine.mac().replace(':', '-');
    }
}
