package org.netroot.server.bench;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.netroot.server.api.Client;
import org.netroot.server.dhcp.DhcpOptions;
import org.netroot.server.dhcp.DhcpPacket;
import org.netroot.server.iscsi.Bhs;
import org.netroot.server.iscsi.TextParameters;
import org.netroot.server.runtime.LocalControl;

/**
 * Load generator for bench/run.sh (not a unit test): N simulated diskless clients, each on a virtual
 * thread, each doing what a booting machine does against a real Netroot server: DHCP DISCOVER/REQUEST
 * (through one UDP socket acting as a relay agent, so many MACs come from one place), an HTTP GET of
 * its iPXE script from the leased address, an iSCSI login to its target from that address and a
 * 1 MiB READ(10). Prints the wall time and per-phase percentiles as "key value" lines.
 *
 * <pre>
 *   ManyClients setup DATA_DIR N          # N clients mc-1..mc-N, each with a 2 MiB volume (offline)
 *   ManyClients run N SERVER_IP RELAY_IP  # the storm; the leased addresses must be local to this host
 * </pre>
 * The bench script makes the range local with {@code ip route add local RANGE/PREFIX dev lo}, so each
 * client's HTTP and iSCSI connections leave from its own leased address, as a real machine's would.
 */
public final class ManyClients {
    static final long VOLUME_BYTES = 2L << 20;
    static final int READ_BYTES = 1 << 20;

    public static void main(String[] args) throws Exception {
        if (args.length >= 3 && args[0].equals("setup")) {
            setup(Path.of(args[1]), Integer.parseInt(args[2]));
        } else if (args.length >= 4 && args[0].equals("run")) {
            System.exit(run(Integer.parseInt(args[1]), (Inet4Address) InetAddress.getByName(args[2]),
                    (Inet4Address) InetAddress.getByName(args[3])));
        } else {
            System.err.println("usage: ManyClients setup DATA_DIR N | run N SERVER_IP RELAY_IP");
            System.exit(2);
        }
    }

    static String mac(int i) {
        return String.format(Locale.ROOT, "02:6e:72:00:%02x:%02x", (i >> 8) & 0xff, i & 0xff);
    }

    static void setup(Path data, int n) {
        try (LocalControl control = LocalControl.openOffline(data)) {
            for (int i = 1; i <= n; i++) {
                control.createVolume("mc-" + i, VOLUME_BYTES);
                control.addClient(Client.sanboot("mc-" + i, mac(i), "mc-" + i));
            }
        }
        System.out.println("created " + n + " clients and volumes in " + data);
    }

    /** Milliseconds each phase took, per client. */
    record Timing(long dhcp, long script, long login, long read, long total) {
    }

    static int run(int n, Inet4Address server, Inet4Address relay) throws Exception {
        try (Relay dhcp = new Relay(server, relay)) {
            List<Future<Timing>> futures = new ArrayList<>();
            long t0 = System.nanoTime();
            try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 1; i <= n; i++) {
                    int id = i;
                    futures.add(threads.submit(() -> boot(id, dhcp, server)));
                }
            }
            long wall = (System.nanoTime() - t0) / 1_000_000;
            List<Timing> ok = new ArrayList<>();
            List<String> failures = new ArrayList<>();
            for (Future<Timing> f : futures) {
                try {
                    ok.add(f.get());
                } catch (Exception e) {
                    failures.add(String.valueOf(e.getCause()));
                }
            }
            System.out.println("clients " + n);
            System.out.println("completed " + ok.size());
            System.out.println("wall_ms " + wall);
            for (String phase : List.of("dhcp", "script", "login", "read", "total")) {
                List<Long> v = new ArrayList<>();
                for (Timing t : ok) {
                    v.add(switch (phase) {
                        case "dhcp" -> t.dhcp();
                        case "script" -> t.script();
                        case "login" -> t.login();
                        case "read" -> t.read();
                        default -> t.total();
                    });
                }
                Collections.sort(v);
                System.out.println(phase + "_ms p50 " + pct(v, 50) + " p90 " + pct(v, 90) + " p99 " + pct(v, 99)
                        + " max " + pct(v, 100));
            }
            for (String f : failures.subList(0, Math.min(5, failures.size()))) System.out.println("failure " + f);
            return failures.isEmpty() ? 0 : 1;
        }
    }

    static long pct(List<Long> sorted, int p) {
        if (sorted.isEmpty()) return -1;
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static Timing boot(int id, Relay dhcp, Inet4Address server) throws Exception {
        String mac = mac(id);
        long t0 = System.nanoTime();
        Inet4Address ip = dhcp.lease(mac, id);
        long t1 = System.nanoTime();
        HttpClient http = HttpClient.newBuilder().localAddress(ip).connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create("http://" + server.getHostAddress()
                + "/boot/" + mac + ".ipxe")).timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        if (script.statusCode() != 200 || !script.body().contains("sanboot")) {
            throw new IOException(mac + ": script " + script.statusCode() + " " + script.body().lines().findFirst().orElse(""));
        }
        long t2 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(ip, 0));
            s.connect(new InetSocketAddress(server, 3260), 10_000);
            s.setSoTimeout(20_000);
            s.setTcpNoDelay(true);
            Iscsi iscsi = new Iscsi(s);
            iscsi.login("iqn.2026-01.org.netroot:initiator:mc-" + id, "iqn.2026-01.org.netroot:mc-" + id);
            long t3 = System.nanoTime();
            int got = iscsi.read10(0, READ_BYTES / 512);
            if (got != READ_BYTES) throw new IOException(mac + ": READ(10) returned " + got + " bytes");
            long t4 = System.nanoTime();
            return new Timing(ms(t1 - t0), ms(t2 - t1), ms(t3 - t2), ms(t4 - t3), ms(t4 - t0));
        }
    }

    static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    /** One UDP socket on the relay's server port (67) for every client: replies are matched by xid. */
    static final class Relay implements AutoCloseable {
        private final DatagramSocket socket;
        private final Inet4Address server;
        private final Inet4Address relay;
        private final Map<Integer, SynchronousQueue<DhcpPacket>> waiting = new ConcurrentHashMap<>();
        private final Thread receiver;

        Relay(Inet4Address server, Inet4Address relay) throws IOException {
            this.server = server;
            this.relay = relay;
            this.socket = new DatagramSocket(new InetSocketAddress(relay, 67));
            this.socket.setReceiveBufferSize(4 << 20);
            this.receiver = Thread.ofPlatform().daemon().name("relay-receiver").start(this::receive);
        }

        private void receive() {
            byte[] buf = new byte[1500];
            while (!socket.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    socket.receive(p);
                    DhcpPacket reply = DhcpPacket.parse(ByteBuffer.wrap(p.getData(), 0, p.getLength()));
                    SynchronousQueue<DhcpPacket> q = waiting.get(reply.xid());
                    if (q != null) q.offer(reply);
                } catch (Exception e) {
                    if (socket.isClosed()) return;
                }
            }
        }

        Inet4Address lease(String mac, int id) throws Exception {
            for (int attempt = 0; attempt < 4; attempt++) {
                int xid = id * 16 + attempt;
                SynchronousQueue<DhcpPacket> q = new SynchronousQueue<>();
                waiting.put(xid, q);
                try {
                    send(packet(xid, mac, 1, null, null));
                    DhcpPacket offer = q.poll(2, TimeUnit.SECONDS);
                    if (offer == null) continue;
                    Inet4Address serverId = offer.options().address(DhcpOptions.SERVER_ID);
                    send(packet(xid, mac, 3, offer.yiaddr(), serverId));
                    DhcpPacket ack = q.poll(2, TimeUnit.SECONDS);
                    if (ack != null && ack.options().uint8(DhcpOptions.MESSAGE_TYPE) == 5) return ack.yiaddr();
                } finally {
                    waiting.remove(xid);
                }
            }
            throw new IOException(mac + ": no DHCP lease after 4 tries");
        }

        private void send(byte[] bytes) throws IOException {
            socket.send(new DatagramPacket(bytes, bytes.length, new InetSocketAddress(server, 67)));
        }

        /** A relayed BOOTREQUEST (RFC 2131 §2, RFC 1542): hops 1, giaddr = the relay. */
        private byte[] packet(int xid, String mac, int type, Inet4Address requested, Inet4Address serverId) {
            ByteBuffer b = ByteBuffer.allocate(300);
            b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 1).putInt(xid).putShort((short) 0).putShort((short) 0);
            b.put(new byte[12]).put(relay.getAddress());
            String hex = mac.replace(":", "");
            for (int i = 0; i < 6; i++) b.put((byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16));
            b.put(new byte[10 + 64 + 128]);
            b.putInt(0x63825363);
            b.put((byte) 53).put((byte) 1).put((byte) type);
            if (requested != null) b.put((byte) 50).put((byte) 4).put(requested.getAddress());
            if (serverId != null) b.put((byte) 54).put((byte) 4).put(serverId.getAddress());
            b.put((byte) 255);
            return java.util.Arrays.copyOf(b.array(), 300);
        }

        @Override
        public void close() {
            socket.close();
            receiver.interrupt();
        }
    }

    /** Just enough of an iSCSI initiator (RFC 7143): a login with no authentication and a READ(10). */
    static final class Iscsi {
        private final OutputStream out;
        private final DataInputStream in;
        private int cmdSN = 1;
        private int itt = 1;

        Iscsi(Socket s) throws IOException {
            this.out = s.getOutputStream();
            this.in = new DataInputStream(s.getInputStream());
        }

        void login(String initiator, String target) throws IOException {
            Map<String, String> security = new LinkedHashMap<>();
            security.put("InitiatorName", initiator);
            security.put("TargetName", target);
            security.put("SessionType", "Normal");
            security.put("AuthMethod", "None");
            expectLoginOk(loginPdu(0, 1, security));
            Map<String, String> operational = new LinkedHashMap<>();
            operational.put("HeaderDigest", "None");
            operational.put("DataDigest", "None");
            operational.put("MaxRecvDataSegmentLength", "262144");
            operational.put("MaxBurstLength", "1048576");
            operational.put("InitialR2T", "Yes");
            operational.put("ImmediateData", "No");
            expectLoginOk(loginPdu(1, 3, operational));
        }

        private void expectLoginOk(Bhs request) throws IOException {
            Bhs r = readPdu(null);
            if (r.opcode() != Bhs.LOGIN_RESPONSE || r.int16(36) != 0) {
                throw new IOException("login refused: status 0x" + Integer.toHexString(r.int16(36)));
            }
        }

        private Bhs loginPdu(int csg, int nsg, Map<String, String> keys) throws IOException {
            Bhs h = Bhs.of(Bhs.LOGIN).immediate(true).flags(0x80 | (csg << 2) | nsg);
            h.lunField(0x400001370000L << 16 >>> 16 << 16); // ISID, TSIH 0
            h.itt(itt).int32(24, cmdSN);
            byte[] data = TextParameters.encode(keys);
            h.dataSegmentLength(data.length);
            out.write(h.bytes());
            out.write(data);
            out.write(new byte[(4 - data.length % 4) % 4]);
            out.flush();
            return h;
        }

        /** READ(10) of {@code blocks} 512-byte blocks at LBA; the number of data bytes that came back. */
        int read10(long lba, int blocks) throws IOException {
            Bhs h = Bhs.of(Bhs.SCSI_COMMAND).flags(0x80 | 0x40); // F, R
            h.lunField(0);
            h.itt(++itt).int32(20, blocks * 512).int32(24, cmdSN++);
            byte[] cdb = {0x28, 0, (byte) (lba >>> 24), (byte) (lba >>> 16), (byte) (lba >>> 8), (byte) lba, 0,
                    (byte) (blocks >>> 8), (byte) blocks, 0};
            System.arraycopy(cdb, 0, h.bytes(), 32, cdb.length);
            out.write(h.bytes());
            out.flush();
            int[] bytes = {0};
            while (true) {
                Bhs r = readPdu(bytes);
                if (r.opcode() == Bhs.SCSI_RESPONSE) {
                    if (r.byte3() != 0) throw new IOException("READ(10) status 0x" + Integer.toHexString(r.byte3()));
                    return bytes[0];
                }
                if (r.opcode() == Bhs.DATA_IN && (r.flags() & 0x01) != 0) { // S: status in the last Data-In
                    if (r.byte3() != 0) throw new IOException("READ(10) status 0x" + Integer.toHexString(r.byte3()));
                    return bytes[0];
                }
                if (r.opcode() != Bhs.DATA_IN) throw new IOException("unexpected PDU 0x" + Integer.toHexString(r.opcode()));
            }
        }

        private final byte[] sink = new byte[262144 + 4];

        /** Reads one PDU; its data is skipped and counted into {@code dataBytes[0]} when given. */
        private Bhs readPdu(int[] dataBytes) throws IOException {
            byte[] header = new byte[Bhs.LENGTH];
            in.readFully(header);
            Bhs r = new Bhs(header);
            int length = r.dataSegmentLength();
            int padded = length + (4 - length % 4) % 4;
            int left = padded + r.ahsLength() * 4;
            while (left > 0) {
                int n = in.read(sink, 0, Math.min(sink.length, left));
                if (n < 0) throw new IOException("connection closed mid-PDU");
                left -= n;
            }
            if (dataBytes != null) dataBytes[0] += length;
            return r;
        }
    }

    private ManyClients() {
    }
}
