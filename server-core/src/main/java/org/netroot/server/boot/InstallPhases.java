package org.netroot.server.boot;

import org.netroot.server.api.Client;

/** Where each client's install stands, as the planner needs it (see {@link InstallProgress}). */
public interface InstallPhases {
    /** No install ever ran: every install script hands the installer out. */
    InstallPhases NONE = c -> false;

    /** Whether the install script of {@code client} boots its volume first (the installer ran before). */
    boolean volumeFirst(Client client);
}
