package org.netroot.server.tftp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A transfer's file bytes through the memory map: the file's bytes at any offset, -1 past its end, a cut file an IOException. */
class MappedFileBlocksTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFilesBytesAtAnyOffsetAndEndsAtItsEnd() throws IOException {
        byte[] bytes = new byte[100_000];
        new Random(7).nextBytes(bytes);
        Path f = Files.write(dir.resolve("ipxe.efi"), bytes);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ReadTransfer.FileBlocks blocks = MappedFileBlocks.of(ch, bytes.length);
            ByteBuffer dst = ByteBuffer.allocateDirect(1468 * 4);
            dst.position(10); // reads land at the buffer's position
            assertEquals(dst.remaining(), blocks.read(1468, dst));
            assertArrayEquals(Arrays.copyOfRange(bytes, 1468, 1468 + 1468 * 4 - 10), contents(dst, 10));

            dst.clear();
            assertEquals(bytes.length - 99_000, blocks.read(99_000, dst), "the last, short read");
            assertArrayEquals(Arrays.copyOfRange(bytes, 99_000, bytes.length), contents(dst, 0));
            assertEquals(-1, blocks.read(bytes.length, ByteBuffer.allocate(16)));
        }
    }

    @Test
    void aFileCutShortDuringTheTransferIsAnIOExceptionNotACrash() throws IOException {
        Path f = Files.write(dir.resolve("undionly.kpxe"), new byte[64 * 1024]);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            ReadTransfer.FileBlocks blocks = MappedFileBlocks.of(ch, 64 * 1024);
            try (FileChannel w = FileChannel.open(f, StandardOpenOption.WRITE)) {
                w.truncate(4096);
            }
            IOException e = assertThrows(IOException.class, () -> blocks.read(32 * 1024, ByteBuffer.allocate(512)));
            assertEquals("file shrank during the transfer", e.getMessage());
        }
    }

    @Test
    void anEmptyFileHasNoBlocks() throws IOException {
        Path f = Files.write(dir.resolve("empty"), new byte[0]);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            assertEquals(-1, MappedFileBlocks.of(ch, 0).read(0, ByteBuffer.allocate(512)));
        }
    }

    private static byte[] contents(ByteBuffer dst, int from) {
        byte[] out = new byte[dst.position() - from];
        dst.get(from, out);
        return out;
    }
}
