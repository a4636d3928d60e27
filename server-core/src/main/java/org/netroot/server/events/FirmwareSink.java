package org.netroot.server.events;

/**
 * Where DHCP reports which firmware asked to network-boot ("BIOS", "UEFI" or "iPXE"), before it
 * records the request's boot event: the client's card shows it. Implementations return at once:
 * DHCP calls this on its event loop.
 */
@FunctionalInterface
public interface FirmwareSink {
    void firmware(String mac, String firmware);

    FirmwareSink NONE = (mac, firmware) -> { };
}
