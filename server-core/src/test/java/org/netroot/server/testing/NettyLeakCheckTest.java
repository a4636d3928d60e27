package org.netroot.server.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check itself: a buffer never released is caught, with the record of where it was touched. */
class NettyLeakCheckTest {
    @Test
    void runsAtParanoidWithTheRecordingDetector() {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
        assertTrue(NettyLeakCheck.installed(), "the recording detector must be installed before Netty's buffers load");
    }

    @Test
    void aLeakedBufferIsCaughtWithItsAccessRecord() {
        String hint = "deliberately leaked by NettyLeakCheckTest " + System.nanoTime();
        NettyLeakCheck.leakOneBuffer(hint);
        List<String> caught = new ArrayList<>();
        for (int i = 0; i < 50 && caught.stream().noneMatch(l -> l.contains(hint)); i++) {
            caught.addAll(NettyLeakCheck.collect(1)); // taken from the queue: this class itself passes
        }
        assertTrue(caught.stream().anyMatch(l -> l.contains(hint) && l.contains("ByteBuf.release()")),
                "the leaked buffer was not reported; reported: " + caught);
    }

    @Test
    void aReleasedBufferIsNotALeak() {
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        b.writeLong(42).touch("released by NettyLeakCheckTest");
        b.release();
        List<String> caught = NettyLeakCheck.collect(3);
        assertTrue(caught.stream().noneMatch(l -> l.contains("released by NettyLeakCheckTest")), caught.toString());
    }
}
