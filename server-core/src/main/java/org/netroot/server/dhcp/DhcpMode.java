package org.netroot.server.dhcp;

/**
 * PROXY: beside the network's own DHCP server, boot information only. FULL: this server leases
 * addresses. OFF: no DHCP service (another server points clients at us).
 */
public enum DhcpMode { PROXY, FULL, OFF }
