package org.netroot.server.runtime;

import java.util.List;
import java.util.Optional;
import org.netroot.server.api.Asset;
import org.netroot.server.api.Client;

/**
 * Whether an asset may go: not while a client may boot from it. That is an asset its boot mode names
 * (a menu names every mode's options and its default), and, for an ISO, any menu with a volume: the
 * menu offers every ISO of the library as an install entry, and an installer booted from one reads
 * the ISO over HTTP ({@code sanboot http://...}) for as long as it runs.
 */
final class AssetUsers {
    private AssetUsers() {
    }

    /** Why {@code asset} may not be removed now, in words the user can act on; empty when it may. */
    static Optional<String> whyInUse(Asset asset, List<Client> clients) {
        String name = asset.name();
        for (Client c : clients) {
            if (asset.isBootedBy(c)) {
                return Optional.of("asset " + name + " is what client " + c.name() + " boots (boot mode "
                        + c.bootMode().id() + "): give it another first (netroot client edit " + c.name() + " --boot ...)");
            }
            if (asset.isOfferedByMenuOf(c)) {
                return Optional.of("asset " + name + " is an install entry of client " + c.name() + "'s boot menu (a menu"
                        + " offers every ISO of the library), and an installer started from it reads it as it runs:"
                        + " switch " + c.name() + " to another boot mode first (netroot client edit " + c.name()
                        + " --boot ...)");
            }
        }
        return Optional.empty();
    }
}
