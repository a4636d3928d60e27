package org.netroot.server.storage.qcow2;

import java.io.IOException;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.netroot.server.testing.Mutations;
import org.netroot.server.testing.RandomInputs;
import org.netroot.server.testing.Tries;

/**
 * Whatever bytes an image starts with, decoding either succeeds or fails with an IOException (a clear
 * refusal to open the volume), never another exception; and what decodes encodes again. Each property
 * runs on {@link Tries}'s seeded random inputs.
 */
class Qcow2HeaderPropertyTest {
    @Test
    void mutatedHeadersFailOnlyWithIOException() {
        byte[] valid = Qcow2CodecTest.sample(Optional.of("golden.raw")).encode();
        Tries.run("mutatedQcow2Headers", 2000, r -> decodeFailsOnlyWithIOException(Mutations.of(valid, r), fileSize(r)));
    }

    @Test
    void randomBytesFailOnlyWithIOException() {
        Tries.run("randomQcow2Headers", 500, r -> {
            byte[] bytes = RandomInputs.bytes(r, 4096);
            if (bytes.length >= 4 && r.nextBoolean()) { // give the parser a way past the magic now and then
                bytes[0] = 'Q';
                bytes[1] = 'F';
                bytes[2] = 'I';
                bytes[3] = (byte) 0xfb;
            }
            decodeFailsOnlyWithIOException(bytes, fileSize(r));
        });
    }

    private static long fileSize(Random r) {
        return RandomInputs.oneOf(r, 0L, 512L, 1L << 20, RandomInputs.between(r, 0L, 1L << 40));
    }

    private static void decodeFailsOnlyWithIOException(byte[] bytes, long fileSize) {
        Qcow2Header h;
        try {
            h = Qcow2Header.decode(bytes, fileSize);
        } catch (IOException expected) {
            return; // a clear refusal is the one allowed failure
        }
        if (h.version() != 3) return;
        try {
            h.encode(); // what decodes must encode too
        } catch (IllegalArgumentException e) {
            // the one thing encode refuses that decode takes: a backing name longer than Netroot writes
            if (!e.getMessage().startsWith("backing file name too long")) throw e;
        }
    }
}
