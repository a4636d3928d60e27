package org.netroot.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.ServerStatus;

/** `netroot status` says where each service listens and what it handled. */
class StatusWhereTest {
    @Test
    void whereEachServiceListens() {
        assertEquals(" on 192.168.1.2 ports 67, 4011/udp (proxy mode on eth0), 12 requests", StatusCommand.where(
                new ServerStatus.ServiceState("DHCP", true, null, List.of("192.168.1.2"), List.of(67, 4011), "udp",
                        "PROXY", List.of("eth0"), 12, 0)));
        assertEquals(" on 0.0.0.0 port 80/tcp, 0 requests", StatusCommand.where(new ServerStatus.ServiceState("HTTP",
                true, null, List.of("0.0.0.0"), List.of(80), "tcp", null, List.of(), 0, 0)));
        assertEquals("", StatusCommand.where(new ServerStatus.ServiceState("TFTP", false, "TFTP: port 69/udp ...")),
                "stopped, or an older server: nothing to add");
    }
}
