/**
 * The NBD server (the NetworkBlockDevice project's protocol, fixed newstyle only), so a client's root
 * can live on its volume over NBD: Debian's nbd-client initramfs ({@code nbdroot=SERVER,VOLUME}),
 * dracut ({@code netroot=nbd:SERVER:VOLUME}), qemu ({@code nbd://SERVER/VOLUME}). {@link org.netroot.server.nbd.NbdFraming} (where messages end),
 * {@link org.netroot.server.nbd.OptionRequest}, {@link org.netroot.server.nbd.Request},
 * {@link org.netroot.server.nbd.OptionReplies} and {@link org.netroot.server.nbd.Replies} (the wire
 * format), {@link org.netroot.server.nbd.Handshake} (options: which export, refused or granted),
 * {@link org.netroot.server.nbd.Transmission} (requests on the volume's device, errno values),
 * {@link org.netroot.server.nbd.NbdConnection} (one connection: its volume, requests in flight, boot
 * events) and {@link org.netroot.server.nbd.ClientExportCatalog} (each client's volume, to that
 * client's address only). All of it is plain Java over bytes; only
 * {@link org.netroot.server.nbd.NbdService} knows Netty. Volumes attach through
 * {@code storage.OpenVolumes}, as iSCSI sessions do, so one writer per volume holds across both.
 */
package org.netroot.server.nbd;
