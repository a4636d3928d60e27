package org.netroot.server.api;

import java.util.List;
import java.util.function.Consumer;

/**
 * Everything the CLI and the app can ask of Netroot. Two implementations: one over the database
 * directly (no server running) and one over the running server's loopback control API.
 * Failures a user caused (unknown name, bad MAC, volume in use) are {@link IllegalArgumentException}
 * with a message worth showing as is.
 */
public interface NetrootControl extends AutoCloseable {
    List<Client> clients();

    Client addClient(Client client);

    void removeClient(String name);

    List<Volume> volumes();

    Volume createVolume(String name, long sizeBytes);

    /** Creates a volume holding a copy of the image file at {@code imagePath} (a path on the server). */
    Volume importVolume(String name, String imagePath);

    /** Copies the volume's bytes to {@code targetPath} (a path on the server). */
    void exportVolume(String name, String targetPath);

    void removeVolume(String name);

    /**
     * Changes a volume's size (a positive multiple of 512). Growing works at any time, also while a
     * client has the volume open: its disk reports the new capacity. Shrinking drops the data past
     * the new end, so it needs {@code allowShrink} and no client attached.
     */
    Volume resizeVolume(String name, long newSizeBytes, boolean allowShrink);

    List<Lease> leases();

    /** Boot events with id greater than {@code afterId}, oldest first. */
    List<BootEvent> events(long afterId, int limit);

    /** Calls {@code sink} for every event after {@code afterId}, then for each new one, until closed. */
    AutoCloseable followEvents(long afterId, Consumer<BootEvent> sink);

    ServerStatus status();

    @Override
    void close();
}
