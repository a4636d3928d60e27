package org.netroot.server.nbd;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.netroot.server.api.BootEvent;
import org.netroot.server.api.BootEventType;
import org.netroot.server.events.BootEventSink;
import org.netroot.server.events.EventThrottle;
import org.netroot.server.storage.DiskFullException;
import org.netroot.server.storage.OpenVolumes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection to the NBD service: the handshake ({@link Handshake}), then requests
 * ({@link Transmission}) until NBD_CMD_DISC or the connection closes. It is the volume's user under
 * the one-writer rule: each connection is a writer of its own (identity {@code nbd://ADDRESS:PORT}),
 * so a second connection to a volume in use, from iSCSI or NBD, is refused, and only a shared volume
 * takes several.
 *
 * <p>Plain Java, no Netty: the binding passes handshake messages one at a time and requests as they
 * come, from any thread, many in flight. The volume is given back when the connection has closed and
 * the last request in flight has finished.
 */
public final class NbdConnection implements OpenVolumes.User {
    private static final Logger log = LoggerFactory.getLogger(NbdConnection.class);
    /** A client writing to a full disk fails every write: one event per connection per minute says so. */
    static final long DISK_FULL_EVENT_EVERY_NANOS = 60_000_000_000L;

    private final ReplyOutput out;
    private final BootEventSink events;
    private final EventThrottle refusalEvents;
    private final InetSocketAddress peer;
    private final Handshake handshake;
    private final long startedNanos = System.nanoTime();
    private volatile Handshake.Session session;
    private volatile Transmission transmission;
    private final ExportCatalog catalog;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong inFlightBytes = new AtomicLong();
    private volatile boolean closed;
    private volatile boolean disconnecting;
    private volatile boolean evicted;
    private final AtomicBoolean released = new AtomicBoolean();
    /**
     * How often a connection in use tells the catalog (which renews the peer's trust, see
     * {@link ExportCatalog#used}): well within the hour a proxy-mode address stays trusted unused.
     */
    static final long USE_REPORTED_EVERY_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(10);
    private final AtomicLong lastUseReported = new AtomicLong(System.nanoTime());
    private final AtomicLong lastDiskFullEvent = new AtomicLong(System.nanoTime() - DISK_FULL_EVENT_EVERY_NANOS);

    /** @param refusalEvents lets one refusal event per address through per period: a client retrying must not flood */
    public NbdConnection(ReplyOutput out, ExportCatalog catalog, BootEventSink events, EventThrottle refusalEvents,
                         InetSocketAddress peer) {
        this.out = out;
        this.events = events;
        this.refusalEvents = refusalEvents;
        this.peer = peer;
        this.catalog = catalog;
        this.handshake = new Handshake(catalog, peer.getAddress(), this, this::refused);
    }

    /** Sent as soon as the client connects. */
    public void greet() {
        out.send(OptionReplies.greeting());
    }

    /** The client flags (a frame of {@link NbdFraming#CLIENT_FLAGS} bytes); replies sent, outcome returned. */
    public Handshake.Step clientFlags(ByteBuffer frame) {
        return answer(handshake.clientFlags(frame));
    }

    /** One option frame; its replies are sent, and on TRANSMISSION the requests may begin. */
    public Handshake.Step option(ByteBuffer frame) {
        return answer(handshake.option(frame));
    }

    private Handshake.Step answer(Handshake.Step step) {
        for (byte[] reply : step.replies()) out.send(reply);
        switch (step.outcome()) {
            case TRANSMISSION -> begin(handshake.session());
            case CLOSE -> out.close();
            case CONTINUE, DROP -> { }
        }
        return step;
    }

    private void begin(Handshake.Session s) {
        session = s;
        transmission = new Transmission(s, out, this::diskFull);
        NbdExport e = s.export();
        events.record(BootEvent.of(e.mac(), BootEventType.NBD_CONNECT, peer.getAddress().getHostAddress() + " opened "
                + e.describe() + " over NBD (" + (s.readOnly() ? "read-only" : "read-write") + ", " + s.sizeBytes()
                + " bytes)"));
        if (closed) releaseOnce(); // the client went away while the volume was being attached
    }

    public boolean inTransmission() {
        return transmission != null;
    }

    /**
     * A request is about to run ({@code true}), or must be dropped: after NBD_CMD_DISC the client may
     * send nothing, and after an eviction nothing may reach the volume.
     */
    public boolean admit(Request r) {
        if (disconnecting || evicted || closed) return false;
        inFlight.incrementAndGet();
        inFlightBytes.addAndGet(cost(r));
        return true;
    }

    /** Runs an admitted request and sends its reply; any thread, several at once. */
    public void execute(Request r, ByteBuffer payload) {
        if (evicted) { // read before the eviction: its reply would land after the new user's writes
            finished(r);
            return;
        }
        try {
            transmission.execute(r, payload);
        } finally {
            finished(r);
        }
    }

    /** An admitted request that will not run after all (the service is stopping). */
    public void abandoned(Request r) {
        finished(r);
    }

    private void finished(Request r) {
        inFlightBytes.addAndGet(-cost(r));
        if (inFlight.decrementAndGet() == 0) {
            if (disconnecting) out.close();
            if (closed) releaseOnce();
        }
        reportUse();
    }

    /** At most every {@link #USE_REPORTED_EVERY_NANOS}: the catalog renews its trust in the peer. Never throws. */
    private void reportUse() {
        long now = System.nanoTime();
        long last = lastUseReported.get();
        if (now - last <= USE_REPORTED_EVERY_NANOS || !lastUseReported.compareAndSet(last, now)) return;
        Handshake.Session s = session;
        if (s == null) return;
        try {
            catalog.used(s.export(), peer.getAddress());
        } catch (RuntimeException e) {
            log.warn("NBD: could not note that {} still uses {}: {}", peer.getAddress().getHostAddress(),
                    s.export().name(), e.toString());
        }
    }

    /** NBD_CMD_DISC: the requests in flight are answered, then the connection closes; no reply of its own. */
    public void disconnect() {
        disconnecting = true;
        if (inFlight.get() == 0) out.close();
    }

    /** NBD_CMD_DISC came: nothing more is read. */
    public boolean disconnecting() {
        return disconnecting;
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** READ and WRITE bytes of the requests in flight: what they pin in buffers. */
    public long inFlightBytes() {
        return inFlightBytes.get();
    }

    /** The connection is gone, by either side: the volume goes back once nothing runs on it. */
    public void closed() {
        closed = true;
        if (inFlight.get() == 0) releaseOnce();
    }

    private void releaseOnce() {
        Handshake.Session s = session;
        if (s == null || !released.compareAndSet(false, true)) return;
        s.handle().release(this);
        catalog.used(s.export(), peer.getAddress());
        Transmission t = transmission;
        long bytes = t == null ? 0 : t.bytesRead() + t.bytesWritten();
        String how = evicted ? "the volume was taken over" : disconnecting ? "NBD_CMD_DISC"
                : "connection closed without NBD_CMD_DISC";
        events.record(BootEvent.transfer(s.export().mac(), BootEventType.NBD_DISCONNECT,
                peer.getAddress().getHostAddress() + " closed " + s.export().describe() + " (" + how + "; "
                        + (t == null ? 0 : t.bytesRead()) + " bytes read, " + (t == null ? 0 : t.bytesWritten())
                        + " written)", (System.nanoTime() - startedNanos) / 1_000_000, bytes));
    }

    static long cost(Request r) {
        return r.type() == NbdProtocol.CMD_READ || r.type() == NbdProtocol.CMD_WRITE ? r.length() : 0;
    }

    private void refused(String mac, String detail) {
        if (refusalEvents.allow(peer.getAddress().getHostAddress())) {
            events.record(BootEvent.of(mac, BootEventType.NBD_REFUSED, detail));
        }
        log.info("{}", detail);
    }

    private void diskFull(DiskFullException e) {
        long now = System.nanoTime();
        long last = lastDiskFullEvent.get();
        if (now - last < DISK_FULL_EVENT_EVERY_NANOS || !lastDiskFullEvent.compareAndSet(last, now)) return;
        NbdExport x = session.export();
        String where = e.file() == null ? "" : " (" + e.file().getParent() + ")";
        String detail = "the data folder's disk is full" + where + ": NBD writes of client " + x.clientName()
                + " to volume " + x.name() + " fail; free space on that disk or move volumes to a larger one"
                + " (the client sees \"no space left on device\" and may need a restart)";
        log.warn("{}: {}", peer, detail);
        events.record(BootEvent.of(x.mac(), BootEventType.ERROR, detail));
    }

    // ---- OpenVolumes.User ----------------------------------------------------------------------

    /** Each connection its own writer: two qemu-io, or a second nbd-client, on one volume are refused. */
    @Override
    public String identity() {
        return "nbd://" + peer.getAddress().getHostAddress() + ":" + peer.getPort();
    }

    @Override
    public String clientName() {
        Handshake.Session s = session;
        return s == null ? null : s.export().clientName();
    }

    @Override
    public String description() {
        Handshake.Session s = session;
        return (s == null ? "" : "client " + s.export().clientName() + " ") + "(NBD from "
                + peer.getAddress().getHostAddress() + ")";
    }

    @Override
    public String connection() {
        return "NBD connection from " + peer.getAddress().getHostAddress();
    }

    @Override
    public void evict() {
        evicted = true;
        out.close();
    }
}
