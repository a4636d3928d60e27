package org.netroot.server.dhcp;

/** PROXY: beside the network's own DHCP server, boot information only. FULL: this server leases addresses. */
public enum DhcpMode { PROXY, FULL }
