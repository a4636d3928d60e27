package org.netroot.server.api;

import java.time.Instant;

/**
 * A file of the asset library (kernels, initrds, ISOs, root images) in the data folder's
 * {@code assets/}: boot modes name it by {@code name}, the HTTP service serves it under that name.
 *
 * @param sha256 hex, of the bytes as added
 */
public record Asset(String name, AssetKind kind, long sizeBytes, String sha256, Instant addedAt) {

    /** Letters, digits, '.', '_' and '-', up to 100, not starting with '.' or '-': a URL segment and a file name as is. */
    public static boolean isValidName(String name) {
        return name != null && name.matches("[A-Za-z0-9_][A-Za-z0-9._-]{0,99}");
    }

    /** Why {@code name} is no asset name, in words a user can act on. */
    public static String nameRule() {
        return "asset names use letters, digits, '.', '_' and '-' (up to 100), starting with a letter, digit or '_'";
    }
}
