package org.netroot.server.tftp;

/** Every {@link TftpServiceTest} again on the plain-NIO transfers (the non-Linux fallback). */
class TftpServiceNioTest extends TftpServiceTest {
    @Override
    TftpService newService(TftpSettings settings) {
        return new TftpService(settings, events::add, peers, errors, false);
    }
}
