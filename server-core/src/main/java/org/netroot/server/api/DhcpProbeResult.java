package org.netroot.server.api;

/**
 * What a DHCP DISCOVER sent on {@code interfaceName} brought back. {@code answered}: another DHCP
 * server (not this machine) offered an address; then {@code serverAddress} names it and
 * {@code offeredAddress}, {@code router}, {@code subnetMask} say what it offered. {@code problem}:
 * why the probe could not run (privileges, no such interface), in words with the fix; then
 * {@code recommendedMode} is null. Otherwise {@code recommendedMode} is PROXY when a server answered,
 * FULL when none did, with a suggested range in the interface's subnet ({@code suggestedRangeStart}
 * to {@code suggestedRangeEnd}).
 */
public record DhcpProbeResult(String interfaceName, boolean answered, String serverAddress, String offeredAddress,
                              String router, String subnetMask, String recommendedMode, String suggestedRangeStart,
                              String suggestedRangeEnd, String problem) {
    public static DhcpProbeResult failed(String interfaceName, String problem) {
        return new DhcpProbeResult(interfaceName, false, null, null, null, null, null, null, null, problem);
    }

    /** One sentence for the user: what was found and what Netroot will do. */
    public String explanation() {
        if (problem != null) return "Could not look for a DHCP server on " + interfaceName + ": " + problem;
        if (answered) {
            return "Your router " + serverAddress + " hands out addresses on " + interfaceName
                    + "; Netroot adds the boot information only (proxy mode).";
        }
        return "No DHCP server answered on " + interfaceName + ": Netroot hands out addresses itself (full mode)"
                + (suggestedRangeStart == null ? "." : ", from " + suggestedRangeStart + " to " + suggestedRangeEnd + ".");
    }
}
