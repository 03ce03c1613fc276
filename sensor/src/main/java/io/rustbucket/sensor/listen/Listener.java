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
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections on one port, one virtual thread each. Every connection passes the {@link ConnectionGate}
 * (refused ones are recorded and closed at once), gets the idle timeout as its socket read timeout, and is
 * closed at the session cap whatever it is doing. Open and close are recorded; a handler's exception ends only
 * its own session.
 */
public final class Listener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Listener.class);

    private final String protocol;
    private final ServerSocket server;
    private final ConnectionGate gate;
    private final SensorLimits limits;
    private final ProtocolHandler handler;
    private final String sensor;
    private final Clock clock;
    private final Consumer<SensorEvent> recorder;
    private final ScheduledExecutorService deadlines;
    /** Open connections and when each must end (the session cap); one sweep a second enforces the caps. */
    private final Map<Socket, Session> open = new ConcurrentHashMap<>();

    private record Session(Connection connection, long deadlineNanos) {}

    private final ScheduledFuture<?> sweeper;
    private final Thread acceptor;
    private volatile boolean running = true;

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
        this.deadlines = deadlines;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(bind, port), 1024);
        this.sweeper = deadlines.scheduleWithFixedDelay(this::endExpiredSessions, 1, 1, TimeUnit.SECONDS);
        this.acceptor = Thread.ofPlatform().name(protocol + "-accept").daemon().start(this::acceptLoop);
    }

    /** A scheduler for session deadlines, shared by the listeners of one sensor. */
    public static ScheduledExecutorService deadlineScheduler() {
        return Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("session-deadlines").factory());
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (running) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (running) {
                    log.warn("{} accept failed: {}", protocol, e.getMessage());
                }
                continue;
            }
            Thread.ofVirtual().name(protocol + "-conn").start(() -> serve(s));
        }
    }

    private void serve(Socket socket) {
        InetAddress source = socket.getInetAddress();
        ConnectionGate.Admission admission = gate.admit(source);
        if (admission instanceof ConnectionGate.Refused refused) {
            recorder.accept(SensorEvent.builder(EventAction.LIMIT_EXCEEDED, clock.instant(), EventIds.next())
                    .sensor(sensor)
                    .session("refused", protocol)
                    .source(source.getHostAddress(), socket.getPort())
                    .destinationPort(socket.getLocalPort())
                    .level("WARN")
                    .message("connection refused: " + refused.limit() + " " + refused.configured()
                            + " reached (observed " + refused.observed() + ")")
                    .build());
            closeQuietly(socket);
            return;
        }
        ConnectionGate.Permit permit = ((ConnectionGate.Admitted) admission).permit();
        Connection c = null;
        long started = System.nanoTime();
        String ending = "closed by client";
        try (permit) {
            socket.setSoTimeout((int) limits.idleTimeout().toMillis());
            socket.setTcpNoDelay(true);
            c = new Connection(socket, protocol, sensor, limits.lineMaxBytes(), clock, recorder);
            open.put(socket, new Session(c, started + limits.sessionCap().toNanos()));
            c.record(c.event(EventAction.CONNECTION_OPEN)
                    .message("connection from " + c.sourceIp())
                    .build());
            handler.handle(c);
        } catch (SocketTimeoutException e) {
            ending = "idle timeout " + limits.idleTimeoutSecs() + " s";
        } catch (LineTooLongException e) {
            ending = "line limit " + e.limit() + " bytes exceeded";
        } catch (SocketException e) {
            ending = "connection reset or closed";
        } catch (IOException | RuntimeException e) {
            ending = "session error";
            log.debug("{} session failed: {}", protocol, e.toString());
        } finally {
            open.remove(socket);
            closeQuietly(socket);
            if (c != null) {
                c.record(c.event(EventAction.CONNECTION_CLOSE)
                        .message(ending + " after " + (System.nanoTime() - started) / 1_000_000 + " ms")
                        .build());
            }
        }
    }

    /** Closes sessions past the session cap, whatever they are doing (a read then fails and the session ends). */
    private void endExpiredSessions() {
        long now = System.nanoTime();
        open.forEach((socket, session) -> {
            if (now - session.deadlineNanos() >= 0 && open.remove(socket) != null) {
                Connection conn = session.connection();
                conn.record(conn.event(EventAction.LIMIT_EXCEEDED)
                        .level("WARN")
                        .message("session cap " + limits.sessionCapSecs() + " s reached")
                        .build());
                closeQuietly(socket);
            }
        });
    }

    /** Connections open on this listener now. */
    public int openConnections() {
        return open.size();
    }

    @Override
    public void close() {
        running = false;
        sweeper.cancel(false);
        closeQuietly(server);
        open.keySet().forEach(Listener::closeQuietly);
        acceptor.interrupt();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // already closed or reset: nothing left to release
        }
    }
}
