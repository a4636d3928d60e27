/**
 * The iSCSI target (RFC 7143), shaped like gotgt's iscsit layer: {@link org.netroot.server.iscsi.PduFraming}
 * and {@link org.netroot.server.iscsi.Bhs} (wire format), {@link org.netroot.server.iscsi.Login},
 * {@link org.netroot.server.iscsi.Negotiation} and {@link org.netroot.server.iscsi.Chap} (login phase),
 * {@link org.netroot.server.iscsi.IscsiConnection} (one session per connection: SCSI transport, R2T,
 * Data-In, NOP, task management, logout), {@link org.netroot.server.iscsi.ActiveSessions} (live
 * sessions by TSIH) and {@link org.netroot.server.iscsi.TargetCatalog} (which targets exist; sessions
 * attach to volumes through {@code storage.OpenVolumes}, which holds the one-writer rule). All of it is
 * plain Java over bytes; only {@link org.netroot.server.iscsi.IscsiService} knows Netty. SCSI
 * commands themselves live in {@code org.netroot.server.scsi}, which knows nothing of iSCSI.
 */
package org.netroot.server.iscsi;
