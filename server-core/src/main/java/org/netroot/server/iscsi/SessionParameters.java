package org.netroot.server.iscsi;

/**
 * The operational parameters of one session as negotiated (RFC 7143 §13), starting from the
 * RFC defaults. {@code maxRecvDataSegmentLength} is the initiator's: how we split Data-In.
 */
public final class SessionParameters {
    /** What we declare as our MaxRecvDataSegmentLength: the largest data segment we take in. */
    public static final int TARGET_MAX_RECV_DATA_SEGMENT_LENGTH = 262144;

    public int maxRecvDataSegmentLength = 8192;
    public boolean initialR2T = true;
    public boolean immediateData = true;
    public int maxBurstLength = 262144;
    public int firstBurstLength = 65536;
    public int maxOutstandingR2T = 1;
    public int maxConnections = 1;
    public int defaultTime2Wait = 2;
    public int defaultTime2Retain = 20;
    public boolean dataPduInOrder = true;
    public boolean dataSequenceInOrder = true;
    public int errorRecoveryLevel = 0;
    /** CRC32C header digests (HeaderDigest=CRC32C) */
    public boolean headerDigest;
    /** CRC32C data digests (DataDigest=CRC32C) */
    public boolean dataDigest;
}
