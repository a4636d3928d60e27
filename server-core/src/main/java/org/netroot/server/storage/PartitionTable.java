package org.netroot.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;

/**
 * Where a disk's last partition ends, read from its MBR or GPT through the {@link BlockDevice}
 * (so raw and qcow2 alike): a shrink must not cut a partition off. Only what is plainly readable
 * counts; a disk with no table, or one that does not parse, has no known end.
 */
public final class PartitionTable {
    private static final int SECTOR = BlockDevice.BLOCK_SIZE;
    private static final int MAX_GPT_ENTRIES = 1024;

    private PartitionTable() {
    }

    /** The byte just past the last partition's last sector; empty when no MBR or GPT partition is readable. */
    public static OptionalLong lastPartitionEnd(BlockDevice disk) throws IOException {
        if (disk.sizeBytes() < 2L * SECTOR) return OptionalLong.empty();
        ByteBuffer mbr = read(disk, 0, SECTOR);
        if ((mbr.get(510) & 0xff) != 0x55 || (mbr.get(511) & 0xff) != 0xaa) return OptionalLong.empty();
        long end = -1;
        boolean protective = false;
        for (int i = 0; i < 4; i++) {
            int e = 446 + 16 * i;
            int type = mbr.get(e + 4) & 0xff;
            long start = Integer.toUnsignedLong(mbr.getInt(e + 8));
            long sectors = Integer.toUnsignedLong(mbr.getInt(e + 12));
            if (type == 0 || sectors == 0) continue;
            if (type == 0xee) protective = true; // the real table is the GPT
            else end = Math.max(end, (start + sectors) * SECTOR); // an extended one holds its logical ones
        }
        if (protective) {
            OptionalLong gpt = gptEnd(disk);
            if (gpt.isPresent()) return gpt;
        }
        return end < 0 ? OptionalLong.empty() : OptionalLong.of(end);
    }

    /** UEFI spec 2.10 §5.3: header at LBA 1, entries with their last LBA (inclusive) at byte 40. */
    private static OptionalLong gptEnd(BlockDevice disk) throws IOException {
        ByteBuffer h = read(disk, SECTOR, SECTOR);
        byte[] sig = new byte[8];
        h.get(0, sig);
        if (!new String(sig, java.nio.charset.StandardCharsets.US_ASCII).equals("EFI PART")) return OptionalLong.empty();
        long entriesLba = h.getLong(72);
        long count = Integer.toUnsignedLong(h.getInt(80));
        long entrySize = Integer.toUnsignedLong(h.getInt(84));
        if (entrySize < 128 || entrySize > 4096 || count == 0 || count > MAX_GPT_ENTRIES) return OptionalLong.empty();
        long bytes = count * entrySize;
        if (entriesLba < 2 || entriesLba * SECTOR + bytes > disk.sizeBytes()) return OptionalLong.empty();
        ByteBuffer entries = read(disk, entriesLba * SECTOR, (int) bytes);
        long end = -1;
        for (int i = 0; i < count; i++) {
            int e = (int) (i * entrySize);
            if (entries.getLong(e) == 0 && entries.getLong(e + 8) == 0) continue; // unused entry
            end = Math.max(end, (entries.getLong(e + 40) + 1) * SECTOR);
        }
        return end < 0 ? OptionalLong.empty() : OptionalLong.of(end);
    }

    private static ByteBuffer read(BlockDevice disk, long offset, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        disk.read(offset, b);
        return b.clear();
    }
}
