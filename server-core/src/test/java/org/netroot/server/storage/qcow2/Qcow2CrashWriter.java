package org.netroot.server.storage.qcow2;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The child JVM of {@link Qcow2CrashTest}: writes slot after slot into an image, flushes every
 * few writes and prints "flushed N" once the first N writes are durable, until it is killed.
 */
public final class Qcow2CrashWriter {
    private Qcow2CrashWriter() {
    }

    static long slotOffset(int i) {
        return i * 70_001L; // slots straddle cluster boundaries and never overlap
    }

    static int slotLength(int i) {
        return 1 + (int) ((i * 7919L) % 69_000);
    }

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]);
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            int slots = (int) (d.sizeBytes() / 70_001L) - 1;
            for (int i = 0; i < slots; i++) {
                d.write(slotOffset(i), ByteBuffer.wrap(Qcow2QemuInteropTest.pattern(slotLength(i), i)));
                if (i % 3 == 2) {
                    d.flush();
                    System.out.println("flushed " + (i + 1));
                    System.out.flush();
                }
            }
            System.out.println("done");
        }
    }
}
