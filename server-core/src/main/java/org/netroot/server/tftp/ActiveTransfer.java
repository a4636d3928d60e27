package org.netroot.server.tftp;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A transfer in progress, whichever socket layer drives it: the service can abort it on stop. */
interface ActiveTransfer {

    /** Stops the transfer and frees its socket and file; safe to call twice. */
    void close();

    /** What the service learns when a transfer ends (events, logs). */
    interface End {
        void finished(ActiveTransfer which, InetSocketAddress peer, String filename, ReadTransfer transfer,
                      ReadTransfer.Outcome outcome, IOException failure, long durationNanos);
    }
}
