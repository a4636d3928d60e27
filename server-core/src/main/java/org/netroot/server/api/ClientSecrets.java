package org.netroot.server.api;

/** One client's CHAP secrets: only given to a caller who asks for this client's secrets. */
public record ClientSecrets(String name, String chapUser, String chapSecret, String mutualChapUser,
                            String mutualChapSecret) {
}
