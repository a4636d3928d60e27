package org.netroot.server.api;

import java.nio.file.Path;

/**
 * Opens a data folder directly when no server runs. The server core provides one (found with
 * {@link java.util.ServiceLoader}); an app without the server core on its class path has none.
 */
public interface OfflineControlFactory {
    NetrootControl open(Path dataDir);
}
