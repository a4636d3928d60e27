package org.netroot.server.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.ChangeType;
import org.netroot.server.events.ChangeFeed;

/** One stream reader's queue on an embedded channel: its event loop runs only when the test says. */
class ChangeStreamQueueTest {
    @Test
    void aReconnectReplayingTheWholeRingStillTakesLiveChangesDuringItsCatchUp() {
        ChangeFeed feed = new ChangeFeed();
        int capacity = ChangeFeed.DEFAULT_CAPACITY;
        for (int i = 0; i < capacity + 5; i++) feed.publish(ChangeType.VOLUME_CHANGED, "old" + i, null);
        long oldestKept = feed.lastId() - capacity + 1;

        EmbeddedChannel channel = new EmbeddedChannel();
        ChangeStream.Stats stats = new ChangeStream.Stats();
        ChangeStream stream = new ChangeStream(channel, stats);
        stream.start(feed, oldestKept - 1); // all the ring holds is queued, not yet written
        for (int i = 0; i < 100; i++) feed.publish(ChangeType.VOLUME_CHANGED, "live" + i, null);
        // before: the replay alone filled the queue, the first live change dropped the reader
        assertEquals(0, stats.droppedSlowReaders.get(), "a reader that is catching up is no slow reader");

        channel.runPendingTasks();
        int frames = 0;
        String lastFrame = null;
        while (true) {
            int before = frames;
            for (Object o; (o = channel.readOutbound()) != null; frames++) {
                ByteBuf content = ((HttpContent) o).content();
                lastFrame = content.toString(StandardCharsets.UTF_8);
                content.release();
            }
            if (frames == before) break;
            stream.drain(); // as channelWritabilityChanged does once the peer took what was written
        }
        assertEquals(capacity + 100, frames, "the whole ring, then what happened meanwhile");
        assertTrue(lastFrame.contains("live99"), lastFrame);
        channel.finishAndReleaseAll();
    }
}
