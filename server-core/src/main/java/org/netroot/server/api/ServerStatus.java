package org.netroot.server.api;

import java.util.List;
import java.util.Map;

/**
 * {@code running} is false when no server process runs (the CLI opened the database itself).
 * {@code droppedInput} counts garbage or truncated input per protocol since the server started.
 */
public record ServerStatus(boolean running, List<ServiceState> services, Map<String, Long> droppedInput,
                           List<String> warnings) {
    /**
     * One protocol service.
     *
     * @param detail       why it is not running, in words with the fix (null when all is well)
     * @param addresses    the addresses it listens on now (empty while stopped); "0.0.0.0" is every address
     * @param ports        the ports it listens on (the bound ones while running, else the configured ones; 0
     *                     means "picked by the system at start"); DHCP has its server port and the PXE port
     * @param transport    "udp" or "tcp"
     * @param mode         DHCP's mode ("PROXY" or "FULL"); null for the others
     * @param interfaces   the network interfaces DHCP answers on; empty for the others
     * @param requests     requests handled since the server started (DHCP packets, TFTP requests, HTTP
     *                     requests, iSCSI PDUs)
     * @param droppedInput garbage or truncated input it dropped since the server started
     */
    public record ServiceState(String name, boolean running, String detail, List<String> addresses,
                               List<Integer> ports, String transport, String mode, List<String> interfaces,
                               long requests, long droppedInput) {
        public ServiceState {
            addresses = addresses == null ? List.of() : List.copyOf(addresses);
            ports = ports == null ? List.of() : List.copyOf(ports);
            interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        }

        /** Only name, whether it runs and why not (what the API said before the details). */
        public ServiceState(String name, boolean running, String detail) {
            this(name, running, detail, List.of(), List.of(), null, null, List.of(), 0, 0);
        }

        /** The first (main) port, or -1 when none is known. */
        public int mainPort() {
            return ports.isEmpty() ? -1 : ports.get(0);
        }

        /** Whether the counters differ from {@code other}'s. */
        public boolean countersDiffer(ServiceState other) {
            return other == null || requests != other.requests || droppedInput != other.droppedInput;
        }
    }

    public static ServerStatus offline() {
        return new ServerStatus(false, List.of(), Map.of(), List.of());
    }
}
