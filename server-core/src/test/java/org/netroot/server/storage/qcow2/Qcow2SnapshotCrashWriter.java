package org.netroot.server.storage.qcow2;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * The child JVM of {@link Qcow2SnapshotCrashTest}: writes slot i, takes snapshot "s" + i, removes
 * "s" + (i - 2), and so on, printing "step N" after each step, until it is killed.
 */
public final class Qcow2SnapshotCrashWriter {
    private Qcow2SnapshotCrashWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path image = Path.of(args[0]);
        int step = 0;
        try (Qcow2BlockDevice d = Qcow2BlockDevice.open(image, false)) {
            int slots = (int) (d.sizeBytes() / 70_001L) - 1;
            for (int i = 0; i < slots; i++) {
                d.write(Qcow2CrashWriter.slotOffset(i), ByteBuffer.wrap(Qcow2QemuInteropTest.pattern(Qcow2CrashWriter.slotLength(i), i)));
                System.out.println("step " + ++step);
                d.createSnapshot("s" + i);
                System.out.println("step " + ++step);
                if (i >= 2) {
                    d.deleteSnapshot("s" + (i - 2));
                    System.out.println("step " + ++step);
                }
                System.out.flush();
            }
            System.out.println("done");
        }
    }
}
