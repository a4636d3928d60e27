package org.netroot.server.storage.qcow2;

import java.io.IOException;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Whatever bytes an image starts with, decoding either succeeds or fails with an IOException. */
class Qcow2HeaderPropertyTest {
    @Property(tries = 2000)
    void mutatedHeadersFailOnlyWithIOException(@ForAll("edits") int[] edits, @ForAll long fileSize) {
        byte[] bytes = Qcow2CodecTest.sample(Optional.of("golden.raw")).encode();
        for (int i = 0; i + 1 < edits.length; i += 2) bytes[Math.floorMod(edits[i], 160)] = (byte) edits[i + 1];
        decodeFailsOnlyWithIOException(bytes, Math.floorMod(fileSize, 1L << 40));
    }

    @Property(tries = 500)
    void randomBytesFailOnlyWithIOException(@ForAll @Size(max = 4096) byte[] bytes, @ForAll long fileSize) {
        if (bytes.length >= 4) { // give the parser a way past the magic now and then
            bytes[0] = 'Q';
            bytes[1] = 'F';
            bytes[2] = 'I';
            bytes[3] = (byte) 0xfb;
        }
        decodeFailsOnlyWithIOException(bytes, fileSize);
    }

    @Provide
    Arbitrary<int[]> edits() {
        return Arbitraries.integers().between(0, 1 << 20).array(int[].class).ofMinSize(2).ofMaxSize(16);
    }

    private static void decodeFailsOnlyWithIOException(byte[] bytes, long fileSize) {
        try {
            Qcow2Header h = Qcow2Header.decode(bytes, fileSize);
            if (h.version() == 3) h.encode(); // what decodes must encode too
        } catch (IOException expected) {
            // a clear refusal is the one allowed failure
        } catch (IllegalArgumentException e) {
            if (!e.getMessage().startsWith("backing file name too long")) throw e;
        }
    }
}
