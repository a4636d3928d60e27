package org.netroot.server.http;

import org.netroot.server.api.Client;
import org.netroot.server.api.IscsiValues;

/**
 * The one place that writes iPXE scripts. Scripts come from the client's record, never from a
 * user's file. Values are checked before they land here (see {@link IscsiValues#isSafe}) because iPXE
 * expands {@code ${...}} and splits on spaces.
 */
public final class IpxeScriptBuilder {
    private static final int RETRY_SECONDS = 10;

    private IpxeScriptBuilder() {
    }

    /** Sanboot of the client's volume over iSCSI (LUN 0 of its own target). */
    public static String sanboot(Client client, String serverAddress, int iscsiPort, String selfUrl) {
        StringBuilder s = new StringBuilder(512);
        s.append("#!ipxe\n");
        s.append("# Netroot: client ").append(client.name()).append(" (").append(client.mac()).append(")\n");
        s.append("set initiator-iqn ").append(client.initiatorIqn()).append('\n');
        if (client.usesChap()) {
            s.append("set username ").append(client.chapUser() == null ? client.initiatorIqn() : client.chapUser()).append('\n');
            s.append("set password ").append(client.chapSecret()).append('\n');
            if (client.usesMutualChap()) {
                s.append("set reverse-username ")
                        .append(client.mutualChapUser() == null ? client.targetIqn() : client.mutualChapUser()).append('\n');
                s.append("set reverse-password ").append(client.mutualChapSecret()).append('\n');
            }
        }
        s.append("echo Netroot: booting ").append(client.name()).append(" from volume ")
                .append(client.volumeName()).append(" over iSCSI\n");
        s.append("sanboot ").append(rootPath(serverAddress, iscsiPort, client.targetIqn())).append(" || goto failed\n");
        s.append(":failed\n");
        s.append("echo Netroot: could not boot the volume of ").append(client.name()).append(" (${errno}).\n");
        s.append("echo Check that the iSCSI service runs and the volume exists. Retrying in ")
                .append(RETRY_SECONDS).append(" seconds...\n");
        retry(s, selfUrl);
        return s.toString();
    }

    /** For a MAC with no client: say so on screen, then retry, so adding the client later just works. */
    public static String unknownClient(String mac, String selfUrl) {
        StringBuilder s = new StringBuilder(384);
        s.append("#!ipxe\n");
        s.append("echo Netroot: this machine (").append(mac).append(") is not set up yet.\n");
        s.append("echo Add it in Netroot, or run: netroot client add NAME --mac ").append(mac).append(" --volume VOLUME\n");
        s.append("echo Retrying in ").append(RETRY_SECONDS).append(" seconds...\n");
        retry(s, selfUrl);
        return s.toString();
    }

    /** RFC 4173 root path; empty protocol/port/LUN fields take iPXE's defaults (tcp, 3260, LUN 0). */
    public static String rootPath(String serverAddress, int iscsiPort, String targetIqn) {
        return "iscsi:" + serverAddress + "::" + (iscsiPort == 3260 ? "" : Integer.toString(iscsiPort)) + "::" + targetIqn;
    }

    private static void retry(StringBuilder s, String selfUrl) {
        s.append("sleep ").append(RETRY_SECONDS).append('\n');
        s.append("chain --replace ").append(selfUrl).append('\n');
    }
}
