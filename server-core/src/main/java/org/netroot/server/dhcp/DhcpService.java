package org.netroot.server.dhcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.RawUnixChannelOption;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.netroot.server.boot.AssetCatalog;
import org.netroot.server.boot.BootPlanner;
import org.netroot.server.boot.InstallPhases;
import org.netroot.server.boot.IpxeBinaries;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.ChangePublisher;
import org.netroot.server.events.DiscoverySink;
import org.netroot.server.events.FirmwareSink;
import org.netroot.server.events.PeerDirectory;
import org.netroot.server.service.BindProblems;
import org.netroot.server.service.InputErrors;
import org.netroot.server.service.NettyTransport;
import org.netroot.server.service.ServiceFacts;
import org.netroot.server.service.ManagedService;
import org.netroot.server.store.ClientDirectory;
import org.netroot.server.store.LeaseRepository;
import org.netroot.server.store.StoreWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Binds the DHCP responder to the chosen interfaces: per interface one UDP channel on the server
 * port (67) and one on the PXE boot server port (4011), each tied to its interface with
 * SO_BINDTODEVICE. Netty has no IP_PKTINFO, so this is what keeps requests from other networks out
 * and makes broadcast answers leave only through the interface they belong to; the 4011 channel
 * makes the boot server ACK leave from source port 4011, as UEFI firmware requires.
 */
public final class DhcpService implements ManagedService {
    private static final Logger log = LoggerFactory.getLogger(DhcpService.class);
    /** setsockopt(SOL_SOCKET=1, SO_BINDTODEVICE=25, ifname, IFNAMSIZ=16) — Linux socket(7). */
    static final RawUnixChannelOption BIND_TO_DEVICE = new RawUnixChannelOption("SO_BINDTODEVICE", 1, 25, 16);

    private final DhcpSettings settings;
    private final ClientDirectory clients;
    private final LeaseRepository leases;
    private final StoreWriter writer;
    private final BootEventSink events;
    private final PeerDirectory peers;
    private final InputErrors errors;
    private final List<Channel> channels = new ArrayList<>();
    /** Datagrams received on every channel (garbage among them is counted by {@link InputErrors} too). */
    private final LongAdder requestCount = new LongAdder();
    /** What {@link #facts} shows: set once the channels are bound, cleared by {@link #stop}. */
    private volatile List<String> boundAddresses = List.of();
    private ChangePublisher changes = ChangePublisher.NONE;
    private DiscoverySink discovered = DiscoverySink.NONE;
    private FirmwareSink firmware = FirmwareSink.NONE;
    private EventLoopGroup group;
    private DroppedAcks dropped;
    /** Who is ignored: by default the clients' own modes, read from the directory. */
    private BootPlanner planner;

    /**
     * @param clients reservations, read in memory
     * @param leases read once at start (full mode); written through {@code writer}, never on the event loop
     */
    public DhcpService(DhcpSettings settings, ClientDirectory clients, LeaseRepository leases, StoreWriter writer,
            BootEventSink events, PeerDirectory peers, InputErrors errors) {
        this.settings = settings;
        this.clients = clients;
        this.leases = leases;
        this.writer = writer;
        this.events = events;
        this.peers = peers;
        this.errors = errors;
        this.planner = new BootPlanner(mac -> clients == null ? java.util.Optional.empty() : clients.byMac(mac),
                AssetCatalog.EMPTY, InstallPhases.NONE, 3260);
    }

    /** The planner the other boot services consult too; call before {@link #start}. */
    public synchronized DhcpService plannedBy(BootPlanner bootPlanner) {
        this.planner = bootPlanner;
        return this;
    }

    /** Where lease changes and network-boot requests from unknown machines go; call before {@link #start}. */
    public synchronized DhcpService observedBy(ChangePublisher changePublisher, DiscoverySink discoverySink) {
        this.changes = changePublisher;
        this.discovered = discoverySink;
        return this;
    }

    /** Where the firmware of each network-boot request goes (the client cards); call before {@link #start}. */
    public synchronized DhcpService firmwareSeenBy(FirmwareSink sink) {
        this.firmware = sink;
        return this;
    }

    @Override
    public String name() {
        return "DHCP";
    }

    @Override
    public synchronized void start() throws Exception {
        if (group != null) return;
        if (!Epoll.isAvailable()) {
            throw new IllegalStateException("DHCP needs Linux (Netty's epoll transport) to answer only on the chosen"
                    + " interfaces: " + Epoll.unavailabilityCause());
        }
        List<ServedInterface> served = new ArrayList<>();
        for (String name : settings.interfaces()) served.add(resolve(name));
        IpxeBinaries binaries = IpxeBinaries.scan(settings.ipxeDir());
        log.info("DHCP {} mode on {}; iPXE binaries in {}: {}", settings.mode(), served, settings.ipxeDir(),
                binaries.present());
        if (binaries.present().isEmpty()) {
            log.warn("DHCP: no iPXE binaries in {}: PXE clients get no answer until you install them (Debian: apt"
                    + " install ipxe) or pass --ipxe-dir", settings.ipxeDir());
        }
        DhcpResponder responder = responder(binaries);

        group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            for (ServedInterface on : served) {
                channels.add(bind(on, settings.serverPort(), responder));
                channels.add(bind(on, settings.proxyPort(), responder));
            }
        } catch (Exception e) {
            stop();
            throw e;
        }
        boundAddresses = served.stream().map(on -> on.address().getHostAddress()).toList();
    }

    @Override
    public ServiceFacts facts() {
        return new ServiceFacts(boundAddresses, List.of(settings.serverPort(), settings.proxyPort()), "udp",
                settings.mode().name(), settings.interfaces(), requestCount.sum());
    }

    private DhcpResponder responder(IpxeBinaries binaries) {
        dropped = new DroppedAcks(events);
        BootFileChooser chooser = new BootFileChooser(binaries, planner, settings.httpPort());
        ProxyDhcpResponder proxy = new ProxyDhcpResponder(chooser, events, settings.serverPort(), settings.proxyPort());
        FullDhcpResponder full = null;
        if (settings.mode() == DhcpMode.FULL) {
            AddressPool pool = new AddressPool(settings.rangeStart(), settings.rangeEnd(), leases, writer, clients,
                    Clock.systemUTC());
            pool.publishTo(changes);
            full = new FullDhcpResponder(pool, chooser, events, peers, settings.router(), settings.dns(),
                    settings.leaseSeconds(),
                    settings.serverPort(), settings.proxyPort());
        }
        return new DhcpResponder(settings.mode(), proxy, full, events, peers, errors, settings.proxyPort(), discovered,
                firmware);
    }

    /** The interface's first IPv4 address and prefix; the configured server address, when given, is announced. */
    private ServedInterface resolve(String name) throws SocketException {
        NetworkInterface nif = NetworkInterface.getByName(name);
        if (nif == null) throw new IllegalStateException("DHCP: there is no network interface named " + name);
        for (InterfaceAddress a : nif.getInterfaceAddresses()) {
            if (a.getAddress() instanceof Inet4Address v4) {
                return new ServedInterface(name, v4, a.getNetworkPrefixLength(), settings.serverAddress());
            }
        }
        throw new IllegalStateException("DHCP: interface " + name + " has no IPv4 address; give it one (ip addr add"
                + " ADDRESS/PREFIX dev " + name + ") before serving on it");
    }

    private Channel bind(ServedInterface on, int port, DhcpResponder responder) throws Exception {
        Bootstrap b = new Bootstrap().group(group).channel(EpollDatagramChannel.class)
                .option(ChannelOption.SO_BROADCAST, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new DhcpChannelHandler(on, port, (datagram, arrival) -> {
                    requestCount.increment();
                    return responder.handle(datagram, arrival);
                }, dropped));
        Channel ch = b.register().sync().channel();
        try {
            // set here, not through Bootstrap.option(): Bootstrap only logs a failed option, and an
            // unbound socket would answer every network on the machine
            ch.config().setOption(BIND_TO_DEVICE, deviceName(on.name()));
        } catch (RuntimeException e) {
            ch.close();
            throw new IllegalStateException("DHCP cannot tie its socket to interface " + on.name() + " (SO_BINDTODEVICE;"
                    + " Linux before 5.7 requires CAP_NET_RAW: `sudo setcap cap_net_bind_service,cap_net_raw=+ep "
                    + javaBinary() + "`, or run Netroot as the system service): " + e.getMessage(), e);
        }
        try {
            ch.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port)).sync();
        } catch (Exception e) {
            ch.close();
            throw explain(on, port, e);
        }
        log.info("DHCP listening on {} port {}", on.name(), port);
        return ch;
    }

    private static ByteBuffer deviceName(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length > 15) throw new IllegalArgumentException("interface name longer than 15 bytes: " + name);
        ByteBuffer buf = ByteBuffer.allocateDirect(16); // NUL-padded, as the kernel expects
        buf.put(bytes).position(0);
        return buf;
    }

    private static Exception explain(ServedInterface on, int port, Exception e) {
        IllegalStateException words = BindProblems.explain("DHCP", "udp", port, null, e,
                "dnsmasq, isc-dhcp-server, kea", "--dhcp-port and --proxy-port, or --dhcp off");
        return new IllegalStateException(words.getMessage() + " (on " + on.name() + ")", e);
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse("<path to java>");
    }

    @Override
    public synchronized void stop() {
        boundAddresses = List.of();
        for (Channel ch : channels) ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        channels.clear();
        if (group != null) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            group = null;
        }
    }

    /** True while every channel is bound: a closed socket means some interface is no longer answered. */
    @Override
    public synchronized boolean isRunning() {
        return NettyTransport.allActive(channels);
    }
}
