package org.netroot.server.iscsi;

import java.util.Arrays;

/**
 * The target's side of operational key negotiation (RFC 7143 §6.2, §13): list keys take the
 * first offered value we support, numbers take min or max, Yes/No keys AND or OR with our
 * value. Every answer is what we reply for one offered key; a key we do not know is answered
 * NotUnderstood (§6.2.1), never dropped, and we add no key the initiator did not offer except
 * our own MaxRecvDataSegmentLength declaration (open-iscsi fails logins on unexpected keys).
 */
public final class Negotiation {
    public static final String NOT_UNDERSTOOD = "NotUnderstood";
    public static final String REJECT = "Reject";
    public static final String IRRELEVANT = "Irrelevant";

    // what the target would like; the rule of each key combines it with the initiator's offer
    static final int MAX_BURST = 16776192;
    static final int FIRST_BURST = 16776192;

    private Negotiation() {
    }

    /**
     * @return our answer to the offered key, or null when the key takes no answer (declarative
     *     keys, or answers to offers we never make)
     */
    public static String answer(String key, String value, SessionParameters p) {
        if (value.equals(NOT_UNDERSTOOD) || value.equals(IRRELEVANT) || value.equals(REJECT)) return null;
        try {
            return switch (key) {
                // a list key: the first value offered that we support (§6.2.1)
                case "HeaderDigest" -> {
                    String chosen = digest(value);
                    p.headerDigest = chosen.equals("CRC32C");
                    yield chosen;
                }
                case "DataDigest" -> {
                    String chosen = digest(value);
                    p.dataDigest = chosen.equals("CRC32C");
                    yield chosen;
                }
                case "MaxRecvDataSegmentLength" -> {
                    p.maxRecvDataSegmentLength = number(value, 512, 16777215);
                    yield String.valueOf(SessionParameters.TARGET_MAX_RECV_DATA_SEGMENT_LENGTH); // our declaration
                }
                case "MaxBurstLength" -> {
                    p.maxBurstLength = Math.min(number(value, 512, 16777215), MAX_BURST);
                    p.firstBurstLength = Math.min(p.firstBurstLength, p.maxBurstLength);
                    yield String.valueOf(p.maxBurstLength);
                }
                case "FirstBurstLength" -> {
                    p.firstBurstLength = Math.min(Math.min(number(value, 512, 16777215), FIRST_BURST), p.maxBurstLength);
                    yield String.valueOf(p.firstBurstLength);
                }
                case "MaxConnections" -> String.valueOf(p.maxConnections = Math.min(number(value, 1, 65535), 1));
                case "MaxOutstandingR2T" -> String.valueOf(p.maxOutstandingR2T = Math.min(number(value, 1, 65535), 1));
                case "ErrorRecoveryLevel" -> String.valueOf(p.errorRecoveryLevel = Math.min(number(value, 0, 2), 0));
                // Time2Wait: Maximum (§13.15); Time2Retain: Minimum (§13.16). ERL 0: no retention needed.
                case "DefaultTime2Wait" -> String.valueOf(p.defaultTime2Wait = Math.max(number(value, 0, 3600), 0));
                case "DefaultTime2Retain" -> String.valueOf(p.defaultTime2Retain = Math.min(number(value, 0, 3600), 0));
                // OR keys: the result is Yes if either side says Yes (§6.2.2)
                case "InitialR2T" -> yesNo(p.initialR2T = bool(value));                 // ours: No
                case "DataPDUInOrder" -> yesNo(p.dataPduInOrder = bool(value) || true);  // ours: Yes
                case "DataSequenceInOrder" -> yesNo(p.dataSequenceInOrder = bool(value) || true);
                // AND keys: Yes only if both say Yes
                case "ImmediateData" -> yesNo(p.immediateData = bool(value));           // ours: Yes
                case "IFMarker", "OFMarker" -> {
                    bool(value);
                    yield "No";                                                          // we never use markers
                }
                case "IFMarkInt", "OFMarkInt" -> IRRELEVANT;                             // markers are off
                case "iSCSIProtocolLevel" -> String.valueOf(Math.min(number(value, 0, 31), 1)); // RFC 7144
                case "TaskReporting" -> "RFC3720";
                // declarative keys handled by the login itself, no answer
                case "InitiatorName", "InitiatorAlias", "TargetName", "SessionType", "TargetAlias",
                     "TargetAddress", "TargetPortalGroupTag" -> null;
                default -> NOT_UNDERSTOOD;
            };
        } catch (IllegalArgumentException e) {
            return REJECT;
        }
    }

    private static String digest(String offered) {
        return Arrays.stream(offered.split(",")).filter(v -> v.equals("CRC32C") || v.equals("None")).findFirst()
                .orElse(REJECT);
    }

    static int number(String value, int min, int max) {
        long v;
        try {
            v = value.startsWith("0x") || value.startsWith("0X") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: " + value);
        }
        if (v < min || v > max) throw new IllegalArgumentException(value + " outside " + min + ".." + max);
        return (int) v;
    }

    static boolean bool(String value) {
        return switch (value) {
            case "Yes" -> true;
            case "No" -> false;
            default -> throw new IllegalArgumentException("not Yes or No: " + value);
        };
    }

    private static String yesNo(boolean b) {
        return b ? "Yes" : "No";
    }
}
