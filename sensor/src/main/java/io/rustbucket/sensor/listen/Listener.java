package io.rustbucket.sensor.listen;

import io.rustbucket.core.io.LineTooLongException;
import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.record.EventAction;
import io.rustbucket.sensor.record.EventIds;
import io.rustbucket.sensor.record.SensorEvent;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Clock;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections on one port. Every connection passes the {@link ConnectionGate} (refused ones are recorded
 * and closed at once); the handler greets it on a virtual thread, which goes on to the conversation if the
 * client's first bytes are already there; otherwise the connection waits for them in a selector, holding no thread,
 * and gets a virtual thread again when bytes arrive: 10,000 scanners that
 * connect and say nothing cost a socket each, not a thread each. One sweep, four times a second, enforces every
 * deadline: the read timeout in force (idle or pre-auth), in the selector and in a handler's reads alike (see
 * {@link Connection}), and the session cap, which closes a session whatever it is doing. No connection arms a
 * timer of its own. Open and close are recorded; a handler's exception ends only its own session.
 */
public final class Listener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Listener.class);

    private final String protocol;
    private final ServerSocketChannel server;
    private final ConnectionGate gate;
    private final SensorLimits limits;
    private final ProtocolHandler handler;
    private final String sensor;
    private final Clock clock;
    private final Consumer<SensorEvent> recorder;
    private final Selector selector;
    /** Open connections, for the sweep. */
    private final Map<SocketChannel, Session> open = new ConcurrentHashMap<>();

    private final Queue<Session> toWait = new ConcurrentLinkedQueue<>();
    private final ScheduledFuture<?> sweep;
    private final Thread acceptor;
    private final Thread waiter;
    private volatile boolean running = true;
    private static final long NOT_WAITING = Long.MIN_VALUE;
    private static final long SWEEP_MILLIS = 250;

    /** One connection from admission to its end, which happens exactly once whoever ends it. */
    private final class Session {
        final SocketChannel channel;
        final ConnectionGate.Permit permit;
        final long started = System.nanoTime();
        final long capNanos;
        final AtomicBoolean ended = new AtomicBoolean();
        volatile Connection connection;
        /** The read deadline while the session waits in the selector; {@link #NOT_WAITING} otherwise. */
        volatile long waitDeadline = NOT_WAITING;

        Session(SocketChannel channel, ConnectionGate.Permit permit) {
            this.channel = channel;
            this.permit = permit;
            this.capNanos = started + limits.sessionCap().toNanos();
        }

        void end(String ending) {
            if (!ended.compareAndSet(false, true)) {
                return;
            }
            open.remove(channel);
            closeQuietly(channel);
            permit.close();
            Connection c = connection;
            if (c != null) {
                c.record(c.event(EventAction.CONNECTION_CLOSE)
                        .message(ending + " after " + (System.nanoTime() - started) / 1_000_000 + " ms")
                        .build());
            }
        }
    }

    /**
     * Binds and starts accepting.
     *
     * @throws BindException when the port is taken
     */
    public Listener(
            String protocol,
            InetAddress bind,
            int port,
            ConnectionGate gate,
            SensorLimits limits,
            ProtocolHandler handler,
            String sensor,
            Clock clock,
            Consumer<SensorEvent> recorder,
            ScheduledExecutorService deadlines)
            throws IOException {
        this.protocol = protocol;
        this.gate = gate;
        this.limits = limits;
        this.handler = handler;
        this.sensor = sensor;
        this.clock = clock;
        this.recorder = recorder;
        this.server = ServerSocketChannel.open();
        server.socket().setReuseAddress(true);
        try {
            server.bind(new InetSocketAddress(bind, port), 1024);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        this.selector = Selector.open();
        this.sweep = deadlines.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        this.waiter = Thread.ofPlatform().name(protocol + "-wait").daemon().start(this::waitLoop);
        this.acceptor = Thread.ofPlatform().name(protocol + "-accept").daemon().start(this::acceptLoop);
    }

    /** A scheduler for session deadlines, shared by the listeners of one sensor. */
    public static ScheduledExecutorService deadlineScheduler() {
        return Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("session-deadlines").factory());
    }

    public int port() {
        return server.socket().getLocalPort();
    }

    private void acceptLoop() {
        while (running) {
            SocketChannel ch;
            try {
                ch = server.accept();
            } catch (IOException e) {
                if (running) {
                    log.warn("{} accept failed: {}", protocol, e.getMessage());
                }
                continue;
            }
            Thread.ofVirtual().name(protocol + "-conn").start(() -> admit(ch));
        }
    }

    private void admit(SocketChannel ch) {
        Socket socket = ch.socket();
        InetAddress source = socket.getInetAddress();
        ConnectionGate.Admission admission = gate.admit(source);
        if (admission instanceof ConnectionGate.Refused refused) {
            recorder.accept(SensorEvent.builder(EventAction.LIMIT_EXCEEDED, clock.instant(), EventIds.next())
                    .sensor(sensor)
                    .session("refused", protocol)
                    .source(source.getHostAddress(), socket.getPort())
                    .destinationPort(socket.getLocalPort())
                    .level("WARN")
                    .message(refused.describe())
                    .build());
            closeQuietly(ch);
            return;
        }
        Session s = new Session(ch, ((ConnectionGate.Admitted) admission).permit());
        open.put(ch, s);
        try {
            socket.setTcpNoDelay(true);
            Connection c = new Connection(
                    socket, protocol, sensor, limits.lineMaxBytes(), limits.idleTimeout(), clock, recorder);
            s.connection = c;
            c.record(c.event(EventAction.CONNECTION_OPEN)
                    .message("connection from " + c.sourceIp())
                    .build());
            handler.greet(c);
            if (c.inputWaiting()) { // no need to wait: converse on this thread
                converse(s);
                return;
            }
            s.waitDeadline = System.nanoTime() + c.readTimeout().toNanos();
            toWait.add(s);
            selector.wakeup();
        } catch (IOException | RuntimeException e) {
            s.end(ending(e, s));
        }
    }

    /** The selector: connections waiting for their first input. */
    private void waitLoop() {
        try {
            while (running) {
                selector.select(500);
                for (Session s; (s = toWait.poll()) != null; ) {
                    try {
                        s.channel.configureBlocking(false);
                        s.channel.register(selector, SelectionKey.OP_READ, s);
                    } catch (IOException | RuntimeException e) {
                        s.end("connection reset or closed");
                    }
                }
                var ready = selector.selectedKeys();
                if (!ready.isEmpty()) {
                    var woken = new java.util.ArrayList<Session>(ready.size());
                    for (SelectionKey k : ready) {
                        k.cancel();
                        woken.add((Session) k.attachment());
                    }
                    ready.clear();
                    selector.selectNow(); // flushes the cancelled keys, so the channels may block again
                    for (Session s : woken) {
                        s.waitDeadline = NOT_WAITING;
                        Thread.ofVirtual().name(protocol + "-conn").start(() -> converse(s));
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                log.error("{} selector failed: {}", protocol, e.toString());
            }
        }
    }

    /** The read timeout that ended a session: the one in force (pre-auth or idle), wherever it was waiting. */
    private static String timeoutEnding(Session s) {
        return "idle timeout " + s.connection.readTimeout().toSeconds() + " s";
    }

    private void converse(Session s) {
        String ending = "closed by client";
        try {
            s.channel.configureBlocking(true);
            handler.handle(s.connection);
        } catch (IOException | RuntimeException e) {
            ending = ending(e, s);
        } finally {
            s.end(ending);
        }
    }

    private String ending(Exception e, Session s) {
        if (e instanceof SocketTimeoutException) {
            return timeoutEnding(s);
        }
        if (e instanceof LineTooLongException l) {
            return "line limit " + l.limit() + " bytes exceeded";
        }
        if (e instanceof SocketException || e instanceof java.nio.channels.ClosedChannelException) {
            return "connection reset or closed";
        }
        log.debug("{} session failed: {}", protocol, e.toString());
        return "session error";
    }

    /**
     * Every deadline, in one pass: sessions past the session cap are closed whatever they are doing (a read then
     * fails and the session ends); one waiting in the selector past its read timeout is closed; a handler's read
     * past its timeout is ended and the handler says its goodbye.
     */
    private void sweep() {
        long now = System.nanoTime();
        for (Session s : open.values()) {
            Connection conn = s.connection;
            if (s.ended.get() || conn == null) {
                continue;
            }
            if (now - s.capNanos >= 0) {
                conn.record(conn.event(EventAction.LIMIT_EXCEEDED)
                        .level("WARN")
                        .message("session cap " + limits.sessionCapSecs() + " s reached")
                        .build());
                s.end("session cap " + limits.sessionCapSecs() + " s reached");
            } else if (s.waitDeadline != NOT_WAITING && now - s.waitDeadline >= 0) {
                s.end(timeoutEnding(s));
            } else {
                conn.expireRead(now);
            }
        }
    }

    /** Connections open on this listener now (waiting or in conversation). */
    public int openConnections() {
        return open.size();
    }

    @Override
    public void close() {
        running = false;
        sweep.cancel(false);
        closeQuietly(server);
        open.values().forEach(s -> s.end("sensor stopping"));
        acceptor.interrupt();
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing: nothing left to release
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed or reset: nothing left to release
        }
    }
}
