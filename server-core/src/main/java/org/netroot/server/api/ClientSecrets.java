package org.netroot.server.api;

/** One client's CHAP secrets: only given to a caller who asks for this client's secrets. */
public record ClientSecrets(String name, String chapUser, String chapSecret, String mutualChapUser,
                            String mutualChapSecret) {

    /** Never the secrets themselves: this record may end up in a log line or an error. */
    @Override
    public String toString() {
        return "ClientSecrets[name=" + name + ", chapUser=" + chapUser + ", chapSecret=" + Client.redacted(chapSecret)
                + ", mutualChapUser=" + mutualChapUser + ", mutualChapSecret=" + Client.redacted(mutualChapSecret) + "]";
    }
}
