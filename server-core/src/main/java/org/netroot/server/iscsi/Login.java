package org.netroot.server.iscsi;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;

/**
 * The login phase of one connection (RFC 7143 §6.3): security stage (CHAP or none), operational
 * stage (key negotiation), then full feature phase. Produces one Login Response per request.
 */
final class Login {
    static final int SECURITY = 0;
    static final int OPERATIONAL = 1;
    static final int FULL_FEATURE = 3;

    /** Called once the initiator is admitted to full feature phase; returns a LoginStatus. */
    interface Admission {
        int admit(Login login);
    }

    /** One answer: the response header, its text, and whether the connection goes on. */
    record Reply(Bhs header, byte[] data, Outcome outcome) {
    }

    enum Outcome { CONTINUE, FAILED, FULL_FEATURE }

    private enum Auth { NOT_CHOSEN, CHAP_CHOSEN, CHALLENGED, DONE }

    /**
     * The most login text one request may carry across its C-bit PDUs. RFC 7143 §6.1 lets a
     * target bound it; real initiators send well under 2 KiB, and without a bound a peer that
     * never clears C grows our heap for as long as it likes.
     */
    static final int MAX_LOGIN_TEXT = 65536;

    private static final AtomicInteger TSIH = new AtomicInteger();

    private final TargetServices services;
    private final InetSocketAddress peer;
    private final Admission admission;
    private final ByteArrayOutputStream continued = new ByteArrayOutputStream();
    final SessionParameters params = new SessionParameters();

    private boolean first = true;
    private int stage = SECURITY;
    private long isid;
    private int tsih;
    int statSN = 1;
    int expCmdSN;
    String initiatorName;
    boolean discovery;
    IscsiTarget target;
    private boolean authRequired;
    private Auth auth = Auth.NOT_CHOSEN;
    /** How the initiator proved itself, in words for the login event: "CHAP", "mutual CHAP", or none */
    String authentication = "no authentication";
    private Chap.Challenge challenge;
    private boolean declaredMaxRecv;

    Login(TargetServices services, InetSocketAddress peer, Admission admission) {
        this.services = services;
        this.peer = peer;
        this.admission = admission;
    }

    Reply handle(Pdu request) {
        Bhs h = request.bhs();
        int flags = h.flags();
        boolean transit = (flags & 0x80) != 0;
        boolean cont = (flags & 0x40) != 0;
        int csg = (flags >> 2) & 3;
        int nsg = flags & 3;
        expCmdSN = h.int32(24); // login PDUs are immediate: ExpCmdSN stays at the initiator's CmdSN
        if (h.opcode() != Bhs.LOGIN) return fail(h, csg, LoginStatus.INVALID_DURING_LOGIN);
        if (transit && cont) return drop(h, csg, "login PDU with both T and C set (RFC 7143 §11.12.2)");
        if (first) {
            isid = h.lunField() >>> 16;
            tsih = h.int16(14);
            if (h.byte3() > 0) return fail(h, csg, LoginStatus.UNSUPPORTED_VERSION); // VersionMin: we speak 0x00
            if (tsih != 0 && !services.sessions().exists(tsih)) {
                // §6.3.1: a non-zero TSIH names an existing session (adding or reinstating a
                // connection); for one we do not know the answer is "session does not exist"
                tsih = 0;
                return fail(h, csg, LoginStatus.SESSION_DOES_NOT_EXIST);
            }
        }
        byte[] text = request.dataBytes();
        if (continued.size() + text.length > MAX_LOGIN_TEXT) {
            continued.reset();
            return drop(h, csg, "login text longer than " + MAX_LOGIN_TEXT + " bytes across continued PDUs");
        }
        continued.writeBytes(text);
        if (cont) return reply(h, false, csg, 0, Map.of(), Outcome.CONTINUE); // §6.3: ask for the rest
        Map<String, String> keys;
        try {
            keys = TextParameters.parse(continued.toByteArray());
        } catch (MalformedPduException e) {
            return drop(h, csg, "malformed login text: " + e.getMessage());
        } finally {
            continued.reset();
        }
        Map<String, String> answers = new LinkedHashMap<>();
        if (first) {
            first = false;
            int status = identify(keys);
            if (status != LoginStatus.SUCCESS) return fail(h, csg, status);
            // §13.9: a Normal session's first Login Response carries the portal group tag
            if (!discovery) answers.put("TargetPortalGroupTag", "1");
        }
        if (csg < stage || csg == 2 || csg == FULL_FEATURE) return fail(h, csg, LoginStatus.INITIATOR_ERROR);
        stage = csg;
        if (csg == OPERATIONAL && authRequired && auth != Auth.DONE) {
            return refuseAuth(h, csg, "initiator " + initiatorName + " skipped CHAP, but client "
                    + target.clientName() + " requires it");
        }
        for (Map.Entry<String, String> e : keys.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.equals("AuthMethod")) {
                if (csg != SECURITY) continue;
                String failure = chooseAuthMethod(value, answers);
                if (failure != null) return refuseAuth(h, csg, failure);
            } else if (key.equals("CHAP_A")) {
                if (auth != Auth.CHAP_CHOSEN) return refuseAuth(h, csg, "CHAP_A before AuthMethod=CHAP");
                if (!Chap.offersMd5(value)) {
                    return refuseAuth(h, csg, "initiator " + initiatorName + " offers no CHAP algorithm we support (" + value + ")");
                }
                challenge = Chap.newChallenge();
                answers.put("CHAP_A", Chap.MD5);
                answers.put("CHAP_I", String.valueOf(challenge.id()));
                answers.put("CHAP_C", Chap.hex(challenge.bytes()));
                auth = Auth.CHALLENGED;
            } else if (key.startsWith("CHAP_")) {
                continue; // CHAP_N/R/I/C: checked together below
            } else {
                String answer = Negotiation.answer(key, value, params);
                if (answer != null) answers.put(key, answer);
                if (key.equals("MaxRecvDataSegmentLength")) declaredMaxRecv = true;
            }
        }
        if (keys.containsKey("CHAP_R") || keys.containsKey("CHAP_N")) {
            String failure = checkChapResponse(keys, answers);
            if (failure != null) return refuseAuth(h, csg, failure);
        }
        if (csg == OPERATIONAL && !declaredMaxRecv) {
            // a declaration the target needs: otherwise the initiator would send us at most 8192 bytes
            answers.put("MaxRecvDataSegmentLength", String.valueOf(SessionParameters.TARGET_MAX_RECV_DATA_SEGMENT_LENGTH));
            declaredMaxRecv = true;
        }
        boolean mayTransit = transit;
        if (transit && csg == SECURITY && authRequired && auth != Auth.DONE) {
            if (auth == Auth.NOT_CHOSEN) {
                return refuseAuth(h, csg, "initiator " + initiatorName + " did not offer CHAP, but client "
                        + target.clientName() + " requires it");
            }
            mayTransit = false; // CHAP exchange still going on: stay in the security stage
        }
        if (mayTransit && (nsg <= csg || nsg == 2)) return fail(h, csg, LoginStatus.INITIATOR_ERROR);
        if (mayTransit && nsg == FULL_FEATURE) {
            if (tsih == 0) tsih = nextTsih();
            int status = admission.admit(this);
            if (status != LoginStatus.SUCCESS) return fail(h, csg, status);
            return reply(h, true, csg, nsg, answers, Outcome.FULL_FEATURE);
        }
        if (mayTransit) stage = nsg;
        return reply(h, mayTransit, csg, mayTransit ? nsg : 0, answers, Outcome.CONTINUE);
    }

    /** The first request names the initiator, the session type and (Normal) the target. */
    private int identify(Map<String, String> keys) {
        initiatorName = keys.get("InitiatorName");
        if (initiatorName == null || initiatorName.isBlank()) return LoginStatus.MISSING_PARAMETER;
        String type = keys.getOrDefault("SessionType", "Normal");
        if (type.equals("Discovery")) {
            discovery = true;
            return LoginStatus.SUCCESS;
        }
        if (!type.equals("Normal")) return LoginStatus.SESSION_TYPE_NOT_SUPPORTED;
        String targetName = keys.get("TargetName");
        if (targetName == null || targetName.isBlank()) return LoginStatus.MISSING_PARAMETER;
        target = services.catalog().find(targetName).orElse(null);
        if (target == null) {
            error("iSCSI login from " + initiatorName + " to unknown target " + targetName);
            return LoginStatus.NOT_FOUND;
        }
        if (!target.allows(initiatorName)) {
            error("iSCSI initiator " + initiatorName + " may not log in to " + target.iqn() + ": client "
                    + target.clientName() + " expects initiator " + String.join(" or ", target.initiatorIqns())
                    + "; to allow it too: netroot client edit " + target.clientName() + " --initiator-iqn "
                    + String.join(" --initiator-iqn ", target.initiatorIqns()) + " --initiator-iqn " + initiatorName);
            return LoginStatus.AUTHORIZATION_FAILURE;
        }
        authRequired = target.chap() != null;
        return LoginStatus.SUCCESS;
    }

    /** AuthMethod is a list in the initiator's order of preference (§12.1). Returns a failure or null. */
    private String chooseAuthMethod(String offered, Map<String, String> answers) {
        List<String> methods = Arrays.asList(offered.split(","));
        if (authRequired) {
            if (!methods.contains("CHAP")) {
                return "initiator " + initiatorName + " offers AuthMethod=" + offered + ", but client "
                        + target.clientName() + " requires CHAP: set the CHAP user name and secret on the initiator";
            }
            answers.put("AuthMethod", "CHAP");
            auth = Auth.CHAP_CHOSEN;
            return null;
        }
        if (!methods.contains("None")) {
            return "initiator " + initiatorName + " insists on AuthMethod=" + offered + ", but "
                    + (target == null ? "discovery" : "client " + target.clientName()) + " has no CHAP secret";
        }
        answers.put("AuthMethod", "None");
        auth = Auth.DONE;
        return null;
    }

    /** Checks CHAP_N/CHAP_R; for mutual CHAP answers the initiator's CHAP_I/CHAP_C (§12.1.3). */
    private String checkChapResponse(Map<String, String> keys, Map<String, String> answers) {
        if (auth != Auth.CHALLENGED) return "CHAP response from " + initiatorName + " before our challenge";
        String client = target.clientName();
        String name = keys.get("CHAP_N");
        String response = keys.get("CHAP_R");
        if (name == null || response == null) return "incomplete CHAP response from " + initiatorName;
        IscsiTarget.Credentials chap = target.chap();
        if (chap.user() != null && !chap.user().isEmpty() && !chap.user().equals(name)) {
            return "wrong CHAP user name \"" + name + "\" for client " + client;
        }
        byte[] r;
        try {
            r = Chap.decode(response);
        } catch (IllegalArgumentException e) {
            return "unreadable CHAP response for client " + client + ": " + e.getMessage();
        }
        if (!Chap.verify(challenge.id(), chap.secret(), challenge.bytes(), r)) return "wrong CHAP secret for client " + client;
        String theirId = keys.get("CHAP_I");
        String theirChallenge = keys.get("CHAP_C");
        if (theirId != null || theirChallenge != null) {
            IscsiTarget.Credentials mutual = target.mutualChap();
            if (mutual == null) {
                return "initiator " + initiatorName + " asks for mutual CHAP, but client " + client
                        + " has no mutual CHAP secret";
            }
            if (theirId == null || theirChallenge == null) return "incomplete mutual CHAP challenge from " + initiatorName;
            int id;
            byte[] c;
            try {
                id = Negotiation.number(theirId, 0, 255);
                c = Chap.decode(theirChallenge);
            } catch (IllegalArgumentException e) {
                return "unreadable mutual CHAP challenge for client " + client + ": " + e.getMessage();
            }
            // §12.1.3: a target must not answer its own challenge (reflection attack)
            if (c.length == 0 || Arrays.equals(c, challenge.bytes())) return "mutual CHAP challenge repeats ours";
            String user = mutual.user() == null || mutual.user().isEmpty() ? target.iqn() : mutual.user();
            answers.put("CHAP_N", user);
            answers.put("CHAP_R", Chap.hex(Chap.response(id, mutual.secret(), c)));
            authentication = "mutual CHAP";
        } else {
            authentication = "CHAP";
        }
        auth = Auth.DONE;
        return null;
    }

    private Reply refuseAuth(Bhs h, int csg, String why) {
        error(why);
        return fail(h, csg, LoginStatus.AUTHENTICATION_FAILURE);
    }

    private void error(String detail) {
        String mac = target != null && target.mac() != null ? target.mac() : services.peers().macOrNull(peer.getAddress());
        services.events().record(BootEvent.of(mac, BootEventType.ERROR, detail));
    }

    /** Input no initiator should send: counted as dropped, and the login fails (initiator error). */
    private Reply drop(Bhs h, int csg, String reason) {
        services.errors().dropped("iSCSI", peer, reason);
        return fail(h, csg, LoginStatus.INITIATOR_ERROR);
    }

    private Reply fail(Bhs h, int csg, int status) {
        Bhs r = header(h, false, csg, 0);
        r.byte2(0).int16(36, status);
        return new Reply(r, new byte[0], Outcome.FAILED);
    }

    private Reply reply(Bhs h, boolean transit, int csg, int nsg, Map<String, String> answers, Outcome outcome) {
        return new Reply(header(h, transit, csg, nsg), TextParameters.encode(answers), outcome);
    }

    private Bhs header(Bhs request, boolean transit, int csg, int nsg) {
        Bhs r = Bhs.of(Bhs.LOGIN_RESPONSE).flags((transit ? 0x80 : 0) | (csg << 2) | nsg);
        r.lunField((isid << 16) | (tsih & 0xffff));
        r.itt(request.itt());
        r.int32(24, statSN++);
        r.int32(28, expCmdSN);
        r.int32(32, expCmdSN + IscsiConnection.COMMAND_WINDOW - 1);
        return r;
    }

    /** The initiator's session ID (48 bits): with its name, the I_T nexus SCSI reservations are held by. */
    long isid() {
        return isid;
    }

    /** The session's identifying handle, set once the target admits the initiator. */
    int tsih() {
        return tsih;
    }

    private static int nextTsih() {
        int t;
        do {
            t = TSIH.incrementAndGet() & 0xffff;
        } while (t == 0);
        return t;
    }
}
