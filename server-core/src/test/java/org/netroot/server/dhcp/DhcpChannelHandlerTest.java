package org.netroot.server.dhcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.netroot.server.api.BootEventType;
import org.netroot.server.store.StoreException;
import org.slf4j.LoggerFactory;

/** The Netty handler that holds an ACK until its lease is stored, on an EmbeddedChannel. */
class DhcpChannelHandlerTest {
    static final String MAC = "52:54:00:00:01:01";
    static final ServedInterface BR0 = new ServedInterface("br0", DhcpPacket.ipv4("198.18.0.1"), 24);
    static final InetSocketAddress CLIENT = new InetSocketAddress("198.18.0.100", 68);

    final RecordedEvents events = new RecordedEvents();
    final AtomicLong nanos = new AtomicLong();
    /** The replies the "responder" gives, one per datagram, each with the write the test controls. */
    final Deque<CompletableFuture<Void>> writes = new ArrayDeque<>();
    final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    final Logger serviceLog = (Logger) LoggerFactory.getLogger(DhcpService.class);
    EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        logged.start();
        serviceLog.addAppender(logged);
        DhcpChannelHandler.Responder responder = (datagram, arrival) -> {
            DhcpPacket request;
            try {
                request = DhcpPacket.parse(datagram); // sent back as it came: the handler only moves bytes
            } catch (MalformedDhcpPacketException e) {
                throw new AssertionError(e);
            }
            CompletableFuture<Void> write = new CompletableFuture<>();
            writes.add(write);
            return Optional.of(new DhcpReply(request, CLIENT, write));
        };
        channel = new EmbeddedChannel(new DhcpChannelHandler(BR0, 67, responder, new DroppedAcks(events, nanos::get)));
    }

    @AfterEach
    void tearDown() {
        serviceLog.detachAppender(logged);
        channel.finishAndReleaseAll();
    }

    private void request() {
        channel.writeInbound(new DatagramPacket(Unpooled.wrappedBuffer(ClientPackets.plainLinux(MAC, 3).buffer()),
                new InetSocketAddress("198.18.0.1", 67), CLIENT));
    }

    private DatagramPacket sent() {
        channel.runPendingTasks();
        return channel.readOutbound();
    }

    @Test
    void noAckLeavesBeforeItsLeaseIsStored() {
        request();
        assertNull(sent(), "the lease is not stored yet: nothing may leave");
        writes.getLast().complete(null); // the writer thread finished (and forced it to disk)
        DatagramPacket ack = sent();
        try {
            assertEquals(CLIENT, ack.recipient());
        } finally {
            ack.release();
        }
        assertNull(sent());
    }

    @Test
    void noAckLeavesWhenTheLeaseCouldNotBeStored() {
        request();
        writes.getLast().completeExceptionally(new StoreException("100000 writes are waiting for the disk: not stored"));
        assertNull(sent(), "an ACK without its lease would promise what the server may forget");
        assertEquals(BootEventType.ERROR, events.types().getLast());
    }

    @Test
    void aStormOfDroppedAcksLogsOnceAMinuteWithACountAndNoStackTrace() {
        for (int i = 0; i < 50; i++) {
            request();
            writes.getLast().completeExceptionally(new StoreException("100000 writes are waiting for the disk"));
            sent();
            nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        }
        assertEquals(1, logged.list.size(), "50 s of drops: one log line");
        assertNull(logged.list.getFirst().getThrowableProxy(), "a full queue is expected: no stack trace");
        assertEquals(1, events.types().size(), "one event per MAC a minute");
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        request();
        writes.getLast().completeExceptionally(new StoreException("100000 writes are waiting for the disk"));
        sent();
        assertEquals(2, logged.list.size());
        assertTrue(logged.list.get(1).getFormattedMessage().contains("49 more not sent"),
                logged.list.get(1).getFormattedMessage());
        assertEquals(2, events.types().size());
        assertFalse(channel.outboundMessages().iterator().hasNext());
    }
}
