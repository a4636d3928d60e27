package org.netroot.server.service;

/** A protocol service the user can start and stop (DHCP, TFTP, HTTP, iSCSI). */
public interface ManagedService {
    /** Short user-facing name: "DHCP", "TFTP", "HTTP", "iSCSI". */
    String name();

    /** Binds its sockets; throws with a message a user can act on (e.g. which port needs privileges). */
    void start() throws Exception;

    /** Closes its sockets; safe to call when not running. */
    void stop();

    boolean isRunning();

    /** Where it listens and what it handled, for the status; cheap, callable from any thread. */
    default ServiceFacts facts() {
        return ServiceFacts.NONE;
    }
}
