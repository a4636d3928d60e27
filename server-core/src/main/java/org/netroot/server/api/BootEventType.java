package org.netroot.server.api;

/** The steps of a network boot, in the order the app's timeline draws them. */
public enum BootEventType {
    DHCP_DISCOVER,
    DHCP_OFFER,
    DHCP_REQUEST,
    DHCP_ACK,
    DHCP_NAK,
    PROXY_OFFER,
    PROXY_ACK,
    TFTP_PROBE,
    BOOT_FILE_SENT,
    SCRIPT_SERVED,
    ISCSI_LOGIN,
    ISCSI_FIRST_READ,
    ISCSI_LOGOUT,
    /** DHCP did not answer a machine in boot mode ignore (or TFTP, HTTP served it nothing): on purpose, not a failure. */
    IGNORED,
    /** The server changed the client's boot mode itself: an install with "then sanboot" booted its volume. */
    BOOT_MODE_CHANGED,
    /** A client opened its volume over NBD (an initramfs's nbd-client, dracut's netroot=nbd:, qemu's nbd://). */
    NBD_CONNECT,
    /** An NBD connection was refused its export: unknown, another address's, or in use (the detail says which). */
    NBD_REFUSED,
    /** An NBD connection that had an export ended (NBD_CMD_DISC or closed); bytes moved and how long it lasted. */
    NBD_DISCONNECT,
    /**
     * The boot left the server: a RAM-disk client got its root image, a kernel whose root is not its
     * volume got its last file, a local client was sent to its next boot device. The server sees no
     * more of that boot (the detail says which).
     */
    HANDED_OVER,
    /**
     * An iSCSI initiator reset a shared volume (LOGICAL UNIT RESET or a target reset) and so aborted tasks
     * of the volume's other sessions (they end with TASK ABORTED): on a cluster disk, nodes resetting each
     * other in turn show up here. No step of a boot.
     */
    ISCSI_RESET,
    ERROR
}
