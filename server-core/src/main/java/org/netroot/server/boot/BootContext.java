package org.netroot.server.boot;

/**
 * One request for a boot script, as the planner needs it: whose ({@code mac}), from where
 * ({@code clientIp}, null when unknown), and how the client reached us ({@code serverAddress} on
 * its network, {@code httpBase} "http://host[:port]").
 */
public record BootContext(String mac, String clientIp, String serverAddress, String httpBase) {
    /** This client's script URL: where a script sends iPXE to try again. */
    public String selfUrl() {
        return BootUrls.script(httpBase, mac);
    }
}
