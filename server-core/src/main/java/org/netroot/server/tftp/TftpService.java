package org.netroot.server.tftp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.boot.BootPlanner;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.EventThrottle;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.BindProblems;
import org.netroot.server.service.InputErrors;
import org.netroot.server.service.ServiceFacts;
import org.netroot.server.service.ManagedService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only TFTP server that hands firmware its iPXE binary. One socket on the TFTP port
 * takes requests; each read request gets its own ephemeral socket (its TID, RFC 1350 §4) and its
 * own socket. Lock-step transfers (no windowsize: every BIOS PXE ROM) run on a thread each with a
 * blocking socket ({@link TransferSession}: two system calls per block, no event loop). On Linux
 * windowed transfers (RFC 7440, iPXE and UEFI ask for it) run on Netty's epoll transport
 * ({@link EpollTransfer}: a window leaves in one UDP GSO send); elsewhere they run as lock-step ones
 * do. Either way the hot path is one read per window from the file's memory map.
 */
public final class TftpService implements ManagedService {
    private static final Logger log = LoggerFactory.getLogger(TftpService.class);
    private static final String PROTOCOL = "TFTP";

    private final TftpSettings settings;
    private final BootEventSink events;
    private final PeerDirectory peers;
    private final InputErrors errors;
    private final BootFileResolver resolver;
    private final ThreadFactory transferThreads;
    private final boolean epoll;
    /** by request: a client that repeats its RRQ before our first answer arrives gets one transfer, not two */
    private final ConcurrentHashMap<TransferKey, ActiveTransfer> active = new ConcurrentHashMap<>();
    /** transfers closed because their client asked again: their end is not a boot error */
    private final Set<ActiveTransfer> restarted = ConcurrentHashMap.newKeySet();
    private final Set<Class<?>> failureKindsLogged = ConcurrentHashMap.newKeySet();
    /** Requests read on the request sockets (garbage is counted by {@link InputErrors} instead). */
    private final LongAdder requestCount = new LongAdder();

    /** Enough for a room of PCs booting at once; a flood of (spoofed) requests cannot open unbounded sockets. */
    static final int MAX_TRANSFERS = 256;
    /**
     * Per client address: a PC needs one or two at a time (UEFI's size probe, then the read), so one
     * host (or one spoofing sender) cannot take every slot and lock TFTP for the room.
     */
    static final int MAX_TRANSFERS_PER_ADDRESS = 8;

    private record TransferKey(InetSocketAddress peer, TftpPacket.ReadRequest request) { }

    /** A machine in boot mode ignore asks every few seconds: one timeline entry a minute. */
    private final EventThrottle ignoredEvents = new EventThrottle(java.time.Duration.ofMinutes(1));
    /** Who is ignored, and the mode named in the boot events; none until {@link #plannedBy}. */
    private volatile BootPlanner planner = BootPlanner.none();

    /** One request socket per bind address, each with its listener thread. */
    private volatile List<DatagramChannel> requests = List.of();
    private volatile List<Thread> listeners = List.of();
    private volatile EventLoopGroup transferLoops;
    /** retransmission timeouts of the {@link TransferSession}s */
    private volatile ScheduledThreadPoolExecutor watchdog;

    public TftpService(TftpSettings settings, BootEventSink events, PeerDirectory peers, InputErrors errors) {
        this(settings, events, peers, errors, Epoll.isAvailable());
    }

    /** @param epoll drive transfers with Netty's epoll transport (Linux: GSO/sendmmsg), else plain NIO */
    TftpService(TftpSettings settings, BootEventSink events, PeerDirectory peers, InputErrors errors, boolean epoll) {
        this.epoll = epoll;
        this.settings = settings;
        this.events = events;
        this.peers = peers;
        this.errors = errors;
        this.resolver = new BootFileResolver(settings.roots());
        // platform threads: a transfer blocks in recv() for each ACK; a virtual thread would add a
        // park/unpark through the poller per ACK, measurably slower in lock-step (windowsize 1) transfers
        this.transferThreads = Thread.ofPlatform().name("tftp-transfer-", 0).daemon(true).factory();
    }

    /** The planner DHCP and HTTP consult too; call before {@link #start}. */
    public TftpService plannedBy(BootPlanner bootPlanner) {
        this.planner = bootPlanner;
        return this;
    }

    @Override
    public String name() {
        return PROTOCOL;
    }

    @Override
    public synchronized void start() throws IOException {
        if (isRunning()) return;
        List<DatagramChannel> bound = new ArrayList<>();
        int port = settings.port();
        List<InetAddress> addresses;
        try {
            addresses = settings.listen().resolve(); // now, not at construction: addresses come and go
        } catch (IllegalStateException e) {
            throw new IOException("TFTP: " + e.getMessage(), e);
        }
        for (InetAddress address : addresses) {
            DatagramChannel channel = DatagramChannel.open();
            try {
                channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
                channel.bind(new InetSocketAddress(address, port));
                bound.add(channel);
                if (port == 0) port = ((InetSocketAddress) channel.getLocalAddress()).getPort(); // the others follow
            } catch (IOException e) {
                channel.close();
                for (DatagramChannel c : bound) closeQuietly(c);
                throw BindProblems.explain(PROTOCOL, "udp", port, address, e, "dnsmasq, tftpd-hpa, atftpd", "--tftp-port");
            }
        }
        requests = List.copyOf(bound);
        ScheduledThreadPoolExecutor timeouts = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().name("tftp-timeouts").daemon(true).factory());
        timeouts.setRemoveOnCancelPolicy(true);
        watchdog = timeouts;
        if (epoll) transferLoops = new MultiThreadIoEventLoopGroup(Math.min(2, Runtime.getRuntime().availableProcessors()),
                new DefaultThreadFactory("tftp-transfer", true), EpollIoHandler.newFactory());
        List<Thread> threads = new ArrayList<>();
        for (DatagramChannel channel : bound) {
            Thread thread = Thread.ofPlatform().name("tftp-requests").daemon(true).unstarted(() -> listen(channel));
            threads.add(thread);
            thread.start();
        }
        listeners = List.copyOf(threads);
        log.info("TFTP serving {} on {} port {} ({})", settings.roots(),
                String.join(", ", addresses.stream().map(InetAddress::getHostAddress).toList()), port(),
                epoll ? "epoll" + (SegmentedDatagramPacket.isSupported() ? " with UDP GSO" : "") : "NIO");
    }

    @Override
    public synchronized void stop() {
        List<DatagramChannel> channels = requests;
        requests = List.of();
        for (DatagramChannel channel : channels) closeQuietly(channel);
        List<Thread> threads = listeners;
        listeners = List.of();
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        active.values().forEach(ActiveTransfer::close);
        EventLoopGroup loops = transferLoops;
        transferLoops = null;
        if (loops != null) loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        ScheduledThreadPoolExecutor timeouts = watchdog;
        watchdog = null;
        if (timeouts != null) timeouts.shutdownNow();
        // a request read before the listeners stopped may have started a transfer after the first round
        active.values().forEach(ActiveTransfer::close);
    }

    @Override
    public boolean isRunning() {
        List<DatagramChannel> channels = requests;
        return !channels.isEmpty() && channels.stream().allMatch(DatagramChannel::isOpen);
    }

    /** The bound port (useful when the settings asked for port 0). */
    public int port() {
        try {
            List<DatagramChannel> channels = requests;
            return channels.isEmpty() ? -1 : ((InetSocketAddress) channels.get(0).getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    @Override
    public ServiceFacts facts() {
        List<InetSocketAddress> bound = new ArrayList<>();
        for (DatagramChannel channel : requests) {
            try {
                bound.add((InetSocketAddress) channel.getLocalAddress());
            } catch (IOException | RuntimeException e) {
                // closed meanwhile: not listening there any more
            }
        }
        return ServiceFacts.listening(bound, settings.port(), "udp", requestCount.sum());
    }

    /** Transfers in progress. */
    public int activeTransfers() {
        return active.size();
    }

    /** Serves the requests of one request socket; its transfers answer from its address. */
    private void listen(DatagramChannel channel) {
        InetAddress local;
        try {
            local = ((InetSocketAddress) channel.getLocalAddress()).getAddress();
        } catch (IOException e) {
            return; // closed before it started
        }
        ByteBuffer buffer = ByteBuffer.allocate(65536);
        while (channel.isOpen()) {
            SocketAddress from;
            buffer.clear();
            try {
                from = channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (!channel.isOpen()) return;
                log.warn("TFTP request socket: {}", e.toString());
                continue;
            }
            if (!(from instanceof InetSocketAddress peer)) continue;
            buffer.flip();
            try {
                TftpPacket packet = TftpPacket.parse(buffer);
                requestCount.increment();
                onRequest(local, peer, packet);
            } catch (MalformedPacketException e) {
                errors.dropped(PROTOCOL, peer, e.getMessage());
            } catch (RuntimeException e) {
                // one bad request must never stop the server; counted like any input we could not serve
                // (InputErrors logs it, rate-limited), the stack trace once per kind of failure
                errors.dropped(PROTOCOL, peer, "request failed: " + e);
                if (failureKindsLogged.add(e.getClass())) log.error("TFTP request from {} failed", peer, e);
            }
        }
    }

    /** @param local the address the request came to: the transfer answers from it (the client expects that address) */
    private void onRequest(InetAddress local, InetSocketAddress peer, TftpPacket packet) {
        switch (packet) {
            case TftpPacket.ReadRequest read -> onRead(local, peer, read);
            case TftpPacket.WriteRequest write -> {
                log.info("TFTP {} tried to write {}: refused, the server is read-only", peer, write.filename());
                refuse(local, peer, write.filename(), TftpPacket.Error.ACCESS_VIOLATION, "read-only server", "write refused (read-only server)");
            }
            default -> errors.dropped(PROTOCOL, peer, "not a request on the request port: " + packet.getClass().getSimpleName());
        }
    }

    private void onRead(InetAddress local, InetSocketAddress peer, TftpPacket.ReadRequest read) {
        String name = read.filename();
        String mac = peers.macOrNull(peer.getAddress());
        if (mac != null && planner.ignores(mac)) {
            // no answer at all, as DHCP gives it none: another server's DHCP may point it here
            if (ignoredEvents.allow(mac)) {
                events.record(BootEvent.of(mac, BootEventType.IGNORED, "tftp " + name + ": not served, the client is in"
                        + " boot mode ignore"));
            }
            return;
        }
        // RFC 1350 modes: netascii is served as octet (boot files are binary); "mail" is obsolete
        if (!read.mode().equals("octet") && !read.mode().equals("netascii")) {
            refuse(local, peer, name, TftpPacket.Error.ILLEGAL_OPERATION, "unsupported mode " + read.mode(), "unsupported mode " + read.mode());
            return;
        }
        TransferKey key = new TransferKey(peer, read);
        ActiveTransfer running = active.get(key);
        if (running != null) {
            if (!running.clientAcknowledged()) {
                // RFC 1350 §4: the client repeated its request before our answer reached it; the transfer
                // already running answers it (a second one would only collect the client's ERROR 5)
                log.debug("TFTP {} repeated its request for {}", peer, name);
                return;
            }
            // the client had acknowledged our OACK or DATA and asks again from the same port: it gave up
            // on that transfer (its own timeout) and starts over. Answering from the old one would send
            // it blocks from the middle of the file: close it and start afresh.
            log.info("TFTP {} asked again for {} during its transfer: starting over", peer, name);
            restarted.add(running);
            if (active.remove(key, running)) running.close();
            else restarted.remove(running); // it ended meanwhile
        }
        if (active.size() >= MAX_TRANSFERS) {
            log.warn("TFTP {} asked for {}: refused, {} transfers already running", peer, name, MAX_TRANSFERS);
            refuse(local, peer, name, TftpPacket.Error.NOT_DEFINED, "server busy, try again", "refused: server busy");
            return;
        }
        long fromThisAddress = active.keySet().stream().filter(k -> k.peer().getAddress().equals(peer.getAddress())).count();
        if (fromThisAddress >= MAX_TRANSFERS_PER_ADDRESS) {
            log.warn("TFTP {} asked for {}: refused, {} transfers to {} already running", peer, name,
                    MAX_TRANSFERS_PER_ADDRESS, peer.getAddress().getHostAddress());
            refuse(local, peer, name, TftpPacket.Error.NOT_DEFINED, "too many transfers",
                    "refused: too many transfers from " + peer.getAddress().getHostAddress());
            return;
        }
        switch (resolver.resolve(name)) {
            case BootFileResolver.NotFound notFound -> {
                log.info("TFTP {} asked for {}: not found in {}", peer, name, settings.roots());
                refuse(local, peer, name, TftpPacket.Error.FILE_NOT_FOUND, "file not found", "not found");
            }
            case BootFileResolver.AccessViolation violation -> {
                log.warn("TFTP {} asked for {}: access violation ({})", peer, name, violation.reason());
                refuse(local, peer, name, TftpPacket.Error.ACCESS_VIOLATION, "access violation", "access violation: " + violation.reason());
            }
            case BootFileResolver.Found found -> startTransfer(local, key, read, found);
        }
    }

    private void startTransfer(InetAddress local, TransferKey key, TftpPacket.ReadRequest read,
                               BootFileResolver.Found found) {
        InetSocketAddress peer = key.peer();
        FileChannel file = null;
        DatagramChannel channel = null;
        try {
            file = FileChannel.open(found.file(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
            long size = file.size();
            TransferOptions options = TransferOptions.negotiate(read.options(), size, settings.timeout().toMillis());
            ReadTransfer.FileBlocks blocks = MappedFileBlocks.of(file, size);
            EventLoopGroup loops = transferLoops;
            if (loops != null && options.windowSize() > 1) {
                startEpollTransfer(loops, local, key, read.filename(), file, blocks, options, size);
                return;
            }
            ScheduledThreadPoolExecutor timeouts = watchdog;
            if (timeouts == null) throw new IOException("TFTP is stopping");
            channel = transferChannel(local, peer, options);
            TransferSession session = new TransferSession(channel, file, blocks, peer, read.filename(), options, size,
                    settings.retries(), errors, timeouts, this::finished);
            active.put(key, session);
            transferThreads.newThread(session).start();
        } catch (IOException | RuntimeException e) {
            log.warn("TFTP {} asked for {}: cannot start the transfer: {}", peer, read.filename(), e.toString());
            closeQuietly(file);
            closeQuietly(channel);
            refuse(local, peer, read.filename(), TftpPacket.Error.NOT_DEFINED, "cannot read file", "cannot start: " + e.getMessage());
        }
    }

    private void startEpollTransfer(EventLoopGroup loops, InetAddress local, TransferKey key, String name,
                                    FileChannel file, ReadTransfer.FileBlocks blocks, TransferOptions options, long size) {
        InetSocketAddress peer = key.peer();
        EpollTransfer transfer = new EpollTransfer(peer, name, file, blocks, options, size, settings.retries(), errors,
                SegmentedDatagramPacket.isSupported(), this::finished);
        active.put(key, transfer);
        // an IPv4 socket for an IPv4 address, not Netty's default dual-stack IPv6 one: each send and
        // receive then takes the kernel's IPv4 path directly (no udpv6 wrapper, no v4-mapped address)
        SocketProtocolFamily family = local instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
        new Bootstrap().group(loops).channelFactory(() -> new EpollDatagramChannel(family))
                .option(ChannelOption.SO_SNDBUF, sendBuffer(options))
                .option(ChannelOption.RCVBUF_ALLOCATOR, transfer.receiveAllocator())
                .handler(transfer)
                .connect(peer, new InetSocketAddress(local, 0))
                .addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) return;
                    active.remove(key, transfer);
                    closeQuietly(file);
                    log.warn("TFTP {} asked for {}: cannot open a transfer socket: {}", peer, name, f.cause().toString());
                    refuse(local, peer, name, TftpPacket.Error.NOT_DEFINED, "server error", "cannot start: " + f.cause().getMessage());
                });
    }

    /** A whole window must fit in the socket send buffer, or the kernel drops the window's tail. */
    private static int sendBuffer(TransferOptions options) {
        return Math.max(options.windowSize() * (options.blockSize() + 32) * 2, 256 * 1024);
    }

    private DatagramChannel transferChannel(InetAddress local, InetSocketAddress peer, TransferOptions options)
            throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_SNDBUF, sendBuffer(options));
            channel.bind(new InetSocketAddress(local, 0));
            channel.connect(peer);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void finished(ActiveTransfer which, InetSocketAddress peer, String file, ReadTransfer transfer,
                          ReadTransfer.Outcome outcome, IOException failure, long durationNanos) {
        active.values().remove(which);
        if (restarted.remove(which)) return; // replaced by the client's new request (onRead)
        String mac = peers.macOrNull(peer.getAddress());
        TransferOptions options = transfer.options();
        long millis = TimeUnit.NANOSECONDS.toMillis(durationNanos);
        if (failure != null) {
            log.warn("TFTP {} transfer of {} aborted: {}", peer, file, failure.getMessage());
            events.record(BootEvent.of(mac, BootEventType.ERROR, "tftp " + file + ": transfer aborted: " + failure.getMessage()));
            return;
        }
        switch (outcome) {
            case COMPLETE -> {
                log.info("TFTP sent {} ({} bytes) to {} in {} ms, blksize={} windowsize={}", file, transfer.fileSize(),
                        peer, millis, options.blockSize(), options.windowSize());
                events.record(BootEvent.transfer(mac, BootEventType.BOOT_FILE_SENT,
                        "tftp " + file + " blksize=" + options.blockSize() + " windowsize=" + options.windowSize()
                                + modeOf(mac), millis, transfer.fileSize()));
            }
            case PROBED -> {
                // UEFI reads the size from the OACK, then ends with ERROR 8 and asks again: normal
                log.info("TFTP {} probed the size of {} ({} bytes)", peer, file, transfer.fileSize());
                events.record(BootEvent.of(mac, BootEventType.TFTP_PROBE, "tftp " + file + " tsize=" + transfer.fileSize()));
            }
            case CLIENT_ABORTED -> {
                TftpPacket.Error error = transfer.clientError();
                log.info("TFTP {} aborted the transfer of {}: ERROR {} {}", peer, file, error.code(), error.message());
                events.record(BootEvent.of(mac, BootEventType.ERROR,
                        "tftp " + file + ": client aborted (ERROR " + error.code() + " " + error.message() + ")"));
            }
            case TIMED_OUT -> {
                log.warn("TFTP {} stopped answering during {}: gave up after {} retransmissions", peer, file, settings.retries());
                events.record(BootEvent.of(mac, BootEventType.ERROR,
                        "tftp " + file + ": client stopped answering (gave up after " + settings.retries() + " retransmissions)"));
            }
            case RUNNING -> { } // unreachable: the session only ends with an outcome or a failure
        }
    }

    /** Answers a request with an ERROR from a fresh port, as a transfer would (RFC 1350 §4), and records why. */
    private void refuse(InetAddress local, InetSocketAddress peer, String file, int code, String message, String reason) {
        if (code == 1 && isOptionalIpxeProbe(file)) {
            // iPXE's EFI builds look for autoexec.ipxe on every boot; its absence is normal, not a boot error
            log.debug("TFTP {} looked for optional {}: not there", peer, file);
        } else {
            events.record(BootEvent.of(peers.macOrNull(peer.getAddress()), BootEventType.ERROR, "tftp " + file + ": " + reason));
        }
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.bind(new InetSocketAddress(local, 0));
            channel.send(TftpPacket.encode(new TftpPacket.Error(code, message)), peer);
        } catch (IOException e) {
            log.debug("TFTP could not send ERROR {} to {}: {}", code, peer, e.toString());
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) return;
        try {
            closeable.close();
        } catch (Exception ignored) {
            // already failing
        }
    }

    /** ", boot mode kernel" for a client's machine; nothing for one that is none. */
    private String modeOf(String mac) {
        return mac == null ? "" : planner.modeOf(mac).map(m -> ", boot mode " + m.id()).orElse("");
    }

    static boolean isOptionalIpxeProbe(String file) {
        String name = file.replace('\\', '/');
        return name.equals("autoexec.ipxe") || name.endsWith("/autoexec.ipxe");
    }
}
