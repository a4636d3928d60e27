package org.netroot.server.cli;

import org.netroot.server.api.NetrootVersion;
import picocli.CommandLine.IVersionProvider;

/** {@code netroot --version}: the release the POM names, the same version the installed package carries. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        NetrootVersion v = NetrootVersion.current();
        if (v.build().equals(v.release())) return new String[] {"Netroot " + v.release()};
        return new String[] {"Netroot " + v.release(), "(development build " + v.build() + ")"};
    }
}
