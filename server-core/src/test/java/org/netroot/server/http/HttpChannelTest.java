package org.netroot.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.Client;
import org.netroot.server.api.Volume;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.InputErrors;
import org.netroot.server.store.ClientRepository;
import org.netroot.server.store.Database;
import org.netroot.server.store.VolumeRepository;
import org.netroot.server.testing.PeerChannel;

/**
 * The HTTP request handler on an {@link EmbeddedChannel} (the service's pipeline without a socket):
 * what curl cannot show, such as requests pipelined in one read, a broken request line, an idle
 * connection. Real clients: {@link HttpServiceTest}.
 */
class HttpChannelTest {
    private static final InetSocketAddress LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);
    private static final InetSocketAddress PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);

    @TempDir Path tmp;
    private Database db;
    private HttpService http;
    private final List<BootEvent> events = new ArrayList<>();
    private final InputErrors errors = new InputErrors();
    private final PeerDirectory peers = new PeerDirectory();
    private EmbeddedChannel channel;

    @BeforeEach
    void setUp() throws Exception {
        db = Database.open(tmp.resolve("data"));
        new VolumeRepository(db).add(new Volume("v1", 1 << 20, "v1.img", Instant.now()));
        new ClientRepository(db).add(Client.sanboot("c1", "52:54:00:00:00:01", "v1"));
        Path files = Files.createDirectories(tmp.resolve("files"));
        Files.write(files.resolve("vmlinuz"), new byte[10_000]);
        peers.learn(PEER.getAddress(), "52:54:00:00:00:01");
        http = new HttpService(new HttpSettings("127.0.0.1", 0, 3260, files, tmp), db.clientDirectory(),
                events::add, peers, errors);
        channel = new PeerChannel(LOCAL, PEER);
        // the service's pipeline, but for the idle handler (the test sends the idle event itself)
        channel.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192), new HttpObjectAggregator(64 * 1024),
                http.new RequestHandler());
        channel.pipeline().fireChannelActive();
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        db.close();
    }

    @Test
    void twoRequestsInOneReadGetTwoAnswersInOrder() {
        send("GET /boot/52-54-00-00-00-01.ipxe HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /files/not-there HTTP/1.1\r\nHost: x\r\n\r\n");
        List<FullHttpResponse> answers = responses();
        try {
            assertEquals(2, answers.size());
            assertEquals(200, answers.get(0).status().code());
            assertTrue(answers.get(0).content().toString(StandardCharsets.UTF_8).startsWith("#!ipxe"),
                    answers.get(0).content().toString(StandardCharsets.UTF_8));
            assertEquals(404, answers.get(1).status().code());
        } finally {
            answers.forEach(ReferenceCountUtil::release);
        }
        assertTrue(channel.isOpen(), "HTTP/1.1 keeps the connection");
    }

    @Test
    void aBrokenRequestIsAnsweredBadRequestAndCounted() {
        send("GET /boot/x.ipxe HTTP/1.1\r\nHost: x\r\nContent-Length: nonsense\r\n\r\n");
        List<FullHttpResponse> answers = responses();
        try {
            assertEquals(1, answers.size());
            assertEquals(400, answers.getFirst().status().code());
        } finally {
            answers.forEach(ReferenceCountUtil::release);
        }
        assertEquals(1, errors.count("HTTP"));
        assertFalse(channel.isOpen(), "a broken request ends the connection");
    }

    @Test
    void connectionCloseIsHonouredAfterTheAnswer() {
        send("GET /boot/52-54-00-00-00-01.ipxe HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        List<FullHttpResponse> answers = responses();
        try {
            assertEquals(200, answers.getFirst().status().code());
        } finally {
            answers.forEach(ReferenceCountUtil::release);
        }
        assertFalse(channel.isOpen());
    }

    @Test
    void aFileGoesOutAsAFileRegionAfterItsHeaders() {
        send("GET /files/vmlinuz HTTP/1.1\r\nHost: x\r\n\r\n");
        ByteBuf head = channel.readOutbound();
        String headers = head.toString(StandardCharsets.US_ASCII);
        head.release();
        assertTrue(headers.startsWith("HTTP/1.1 200"), headers);
        assertTrue(headers.contains("content-length: 10000"), headers);
        FileRegion body = assertInstanceOf(FileRegion.class, channel.readOutbound(), "zero-copy: the file itself, not a copy");
        assertEquals(10_000, body.count());
        body.release();
    }

    @Test
    void anIdleConnectionIsClosed() {
        channel.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertFalse(channel.isOpen());
        assertNull(channel.readOutbound());
    }

    private void send(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.US_ASCII));
    }

    /** What the handler wrote, decoded as a client would. */
    private List<FullHttpResponse> responses() {
        EmbeddedChannel client = new EmbeddedChannel(new HttpClientCodec(), new HttpObjectAggregator(1 << 20));
        List<FullHttpResponse> out = new ArrayList<>();
        try {
            for (Object o; (o = channel.readOutbound()) != null; ) {
                client.writeInbound(o);
            }
            for (Object o; (o = client.readInbound()) != null; ) out.add((FullHttpResponse) o);
        } finally {
            client.finishAndReleaseAll();
        }
        return out;
    }
}
