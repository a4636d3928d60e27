package org.netroot.server.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A client or its secrets printed (a log line, an error, a debugger) show that a secret is set, never the secret. */
class ClientSecretsRedactionTest {
    @Test
    void toStringNeverShowsASecret() {
        Client c = new Client("pc1", "52:54:00:00:00:01", "v1", null, null, "user", "chap-s3cret-one", "target",
                "mutual-s3cret-two", null);
        for (String printed : new String[] {c.toString(), c.secrets().toString()}) {
            assertFalse(printed.contains("chap-s3cret-one"), printed);
            assertFalse(printed.contains("mutual-s3cret-two"), printed);
            assertTrue(printed.contains("chapSecret=***") && printed.contains("mutualChapSecret=***"), printed);
            assertTrue(printed.contains("pc1") && printed.contains("chapUser=user"), "the rest is still there: " + printed);
        }
        assertTrue(c.withoutSecrets().toString().contains("chapSecret=null"), "no secret: says so");
    }
}
