package org.netroot.server.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Which Netroot this is, as the build wrote it from the POM ({@code version.properties}): the release
 * ({@code 0.1.0}, also the version of the .deb and the other installers) and the exact build
 * ({@code 0.1.0-SNAPSHOT} while in development).
 */
public record NetrootVersion(String release, String build) {
    private static final String RESOURCE = "version.properties";

    /** The version of the classes running now. */
    public static NetrootVersion current() {
        try (InputStream in = NetrootVersion.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing beside " + NetrootVersion.class.getName()
                    + ": build with Maven (it writes the version there)");
            Properties p = new Properties();
            p.load(in);
            return new NetrootVersion(p.getProperty("release"), p.getProperty("build"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
