package org.netroot.server.boot;

/**
 * One request for a boot script, as the planner needs it: whose ({@code mac}), from where
 * ({@code clientIp}, null when unknown), and how the client reached us ({@code serverAddress} on
 * its network, {@code httpBase} "http://host[:port]").
 */
public record BootContext(String mac, String clientIp, String serverAddress, String httpBase) {
    /** Where a script sends iPXE to try again after a failure: a URL of its own, which moves no install along. */
    public String retryUrl() {
        return BootUrls.retry(httpBase, mac);
    }
}
