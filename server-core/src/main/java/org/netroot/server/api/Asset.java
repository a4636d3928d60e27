package org.netroot.server.api;

import java.time.Instant;

/**
 * A file of the asset library (kernels, initrds, ISOs, root images) in the data folder's
 * {@code assets/}: boot modes name it by {@code name}, the HTTP service serves it under that name.
 *
 * @param sha256 hex, of the bytes as added
 */
public record Asset(String name, AssetKind kind, long sizeBytes, String sha256, Instant addedAt) {

    /** True when {@code client}'s boot mode boots this asset (a menu: any of its entries, or its default ISO). */
    public boolean isBootedBy(Client client) {
        return client.boot().assetsFor(client.bootMode()).contains(name);
    }

    /**
     * True when this is an ISO and {@code client} boots a menu with a volume: the menu offers every ISO of
     * the library as an install entry, and an installer started from one reads the ISO as it runs.
     */
    public boolean isOfferedByMenuOf(Client client) {
        return kind == AssetKind.ISO && client.bootMode() == BootMode.MENU && client.volumeName() != null;
    }

    /** Letters, digits, '.', '_' and '-', up to 100, not starting with '.' or '-': a URL segment and a file name as is. */
    public static boolean isValidName(String name) {
        return name != null && name.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");
    }

    /** Why {@code name} is no asset name, in words a user can act on. */
    public static String nameRule() {
        return "asset names use letters, digits, '.', '_' and '-' (up to 100), starting with a letter, digit or '_'";
    }
}
