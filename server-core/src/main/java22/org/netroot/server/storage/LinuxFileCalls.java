package org.netroot.server.storage;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Linux libc calls through the FFM API (Java 22+): open(2), fallocate(2) to punch holes, close(2)
 * and stat(2) for st_blocks. Loaded by reflection from {@link FileHoles} only on Java 22 or newer.
 */
final class LinuxFileCalls implements FileHoles.Native {
    private static final int O_WRONLY = 1;
    private static final int O_CLOEXEC = 0x80000;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int FALLOC_FL_PUNCH_HOLE = 2;
    private static final int EINTR = 4;
    private static final int EOPNOTSUPP = 95;
    /** st_blocks sits at byte 64 of struct stat on both x86-64 and aarch64 (asm-generic). */
    private static final long ST_BLOCKS_OFFSET = 64;
    private static final long STAT_SIZE = 256; // larger than either architecture's struct stat

    private final StructLayout callState = Linker.Option.captureStateLayout();
    private final VarHandle errno = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private final MethodHandle open;
    private final MethodHandle fallocate;
    private final MethodHandle close;
    private final MethodHandle stat; // null where libc exports no stat symbol (glibc before 2.33)

    LinuxFileCalls() {
        this(java.util.Set.of());
    }

    /** {@code missing}: symbols to treat as absent, for tests of an older libc. */
    LinuxFileCalls(java.util.Set<String> missing) {
        Linker linker = Linker.nativeLinker();
        SymbolLookup defaults = linker.defaultLookup();
        SymbolLookup libc = name -> missing.contains(name) ? java.util.Optional.empty() : defaults.find(name);
        Linker.Option errnoOption = Linker.Option.captureCallState("errno");
        open = linker.downcallHandle(libc.find("open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), errnoOption, Linker.Option.firstVariadicArg(2));
        fallocate = linker.downcallHandle(libc.find("fallocate").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), errnoOption);
        close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        // glibc before 2.33 has stat only as a macro over __xstat: without it allocatedBytes says -1
        // and FileHoles asks du; hole punching does not depend on it
        stat = libc.find("stat").map(a -> linker.downcallHandle(a, FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS))).orElse(null);
    }

    @Override
    public int openForWriting(String path) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int fd = (int) open.invokeExact(state, arena.allocateFrom(path), O_WRONLY | O_CLOEXEC, 0);
            if (fd < 0) throw new IOException("open(" + path + ") for hole punching failed: errno " + (int) errno.get(state, 0L));
            return fd;
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    @Override
    public boolean punchHole(int fd, long offset, long length) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            while (true) {
                int r = (int) fallocate.invokeExact(state, fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, offset, length);
                if (r == 0) return true;
                int e = (int) errno.get(state, 0L);
                if (e == EINTR) continue;
                if (e == EOPNOTSUPP) return false;
                throw new IOException("fallocate(PUNCH_HOLE) at " + offset + "+" + length + " failed: errno " + e);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }

    @Override
    public void close(int fd) {
        try {
            int r = (int) close.invokeExact(fd);
        } catch (Throwable ignored) {
            // nothing left to do with a descriptor that would not close
        }
    }

    @Override
    public long allocatedBytes(String path) {
        if (stat == null) return -1;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(STAT_SIZE, 8);
            int r = (int) stat.invokeExact(arena.allocateFrom(path), buf);
            return r == 0 ? buf.get(JAVA_LONG, ST_BLOCKS_OFFSET) * 512 : -1;
        } catch (Throwable t) {
            return -1;
        }
    }
}
