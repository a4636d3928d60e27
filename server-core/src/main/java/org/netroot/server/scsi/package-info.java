/**
 * The SCSI block command set (SPC-4/SBC-3) over {@code storage.BlockDevice}: gotgt's scsi layer.
 * {@link org.netroot.server.scsi.LogicalUnit} runs a CDB and returns status, sense and data;
 * it knows neither iSCSI nor the network, so other transports could reuse it.
 */
package org.netroot.server.scsi;
