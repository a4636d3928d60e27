package org.netroot.server.api;

import java.util.List;
import java.util.Map;

/**
 * {@code running} is false when no server process runs (the CLI opened the database itself).
 * {@code droppedInput} counts garbage or truncated input per protocol since the server started.
 */
public record ServerStatus(boolean running, List<ServiceState> services, Map<String, Long> droppedInput,
                           List<String> warnings) {
    public record ServiceState(String name, boolean running, String detail) {
    }

    public static ServerStatus offline() {
        return new ServerStatus(false, List.of(), Map.of(), List.of());
    }
}
