package org.netroot.app.ui.archfixture;

import org.netroot.server.runtime.NetrootServer;

/** Deliberately wrong (ArchitectureTest proves its rules catch it): a view reaching into the runtime. */
public final class BadView {
    NetrootServer server;
}
