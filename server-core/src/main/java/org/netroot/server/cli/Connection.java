package org.netroot.server.cli;

import java.nio.file.Path;
import org.netroot.server.api.NetrootControl;
import org.netroot.server.control.RemoteControl;
import org.netroot.server.service.LocalControl;

/** The running server's control API when one answers, else the data folder's database directly. */
final class Connection {
    private Connection() {
    }

    static NetrootControl open(Path dataDir) {
        return RemoteControl.connect(dataDir).map(r -> (NetrootControl) r)
                .orElseGet(() -> LocalControl.openOffline(dataDir));
    }
}
