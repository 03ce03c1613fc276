package io.rustbucket.sensor.listen;

import io.rustbucket.core.io.BoundedLineReader;
import io.rustbucket.sensor.record.EventAction;
import io.rustbucket.sensor.record.EventIds;
import io.rustbucket.sensor.record.SensorEvent;
import io.rustbucket.sensor.record.SessionEvents;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * One attacker connection as a protocol handler sees it: bounded line input, raw output, and events already
 * filled with who, where and which session.
 *
 * <p>The read timeout is not the socket's: a timed read on a virtual thread arms a JDK timer and wakes its
 * scheduler thread every time it parks, one of the largest costs of a short connection. Instead each read
 * publishes its deadline and the listener's sweep ({@link #expireRead}) ends reads that pass it; the reader then
 * sees a {@link SocketTimeoutException} as from a socket timeout, and the output stays open for the protocol's
 * goodbye.
 */
public final class Connection implements SessionEvents {
    private final Socket socket;
    private final String sessionId;
    private final String sourceIp;
    private final int sourcePort;
    private final String protocol;
    private final String sensor;
    private final InputStream in;
    private final BoundedLineReader lines;
    private final OutputStream out;
    private final Clock clock;
    private final Consumer<SensorEvent> recorder;
    private volatile long timeoutNanos;
    /** When the read now waiting times out; {@link #NOT_READING} when no read waits. */
    private volatile long readDeadline = NOT_READING;

    private volatile boolean timedOut;
    private static final long NOT_READING = Long.MIN_VALUE;

    Connection(
            Socket socket,
            String protocol,
            String sensor,
            int lineMaxBytes,
            Duration timeout,
            Clock clock,
            Consumer<SensorEvent> recorder)
            throws IOException {
        this.socket = socket;
        this.sessionId = EventIds.next();
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.sourceIp = remote.getAddress().getHostAddress(); // formatted once: every event carries it
        this.sourcePort = remote.getPort();
        this.protocol = protocol;
        this.sensor = sensor;
        this.timeoutNanos = timeout.toNanos();
        this.in = new TimedInput(socket.getInputStream());
        this.lines = new BoundedLineReader(in, lineMaxBytes);
        this.out = socket.getOutputStream();
        this.clock = clock;
        this.recorder = recorder;
    }

    /** The raw input, for protocols that are not line based (Telnet); do not mix with {@link #lines()}. */
    public InputStream input() {
        return in;
    }

    /**
     * Whether the client's first bytes are already here (an HTTP request sent with the connection): the handler can
     * run at once, without parking the connection in the selector first.
     */
    boolean inputWaiting() throws IOException {
        return in.available() > 0;
    }

    /** Changes the read timeout, e.g. to the shorter pre-authentication timeout while a login is pending. */
    public void readTimeout(Duration timeout) {
        timeoutNanos = timeout.toNanos();
    }

    /** The read timeout in force. */
    Duration readTimeout() {
        return Duration.ofNanos(timeoutNanos);
    }

    /**
     * Ends the read now waiting if its deadline has passed (the listener's sweep calls this): input is shut down,
     * which wakes the reader, and the reader throws {@link SocketTimeoutException}.
     */
    void expireRead(long nowNanos) {
        long deadline = readDeadline;
        if (deadline == NOT_READING || nowNanos - deadline < 0) {
            return;
        }
        timedOut = true;
        try {
            socket.shutdownInput();
        } catch (IOException ignored) {
            // already closed: the reader has its answer
        }
    }

    /** The socket's input with the connection's read deadline (see the class comment). */
    private final class TimedInput extends FilterInputStream {
        TimedInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            start();
            int b;
            try {
                b = in.read();
            } finally {
                readDeadline = NOT_READING;
            }
            failIfTimedOut(); // the sweep's shutdown reads as an end of input
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            start();
            int n;
            try {
                n = in.read(b, off, len);
            } finally {
                readDeadline = NOT_READING;
            }
            failIfTimedOut();
            return n;
        }

        private void start() throws SocketTimeoutException {
            failIfTimedOut();
            readDeadline = System.nanoTime() + timeoutNanos;
        }

        private void failIfTimedOut() throws SocketTimeoutException {
            if (timedOut) {
                throw new SocketTimeoutException("read timed out after " + timeoutNanos / 1_000_000 + " ms");
            }
        }
    }

    /** The raw output (unflushed writes are the caller's to flush). */
    public OutputStream output() {
        return out;
    }

    public BoundedLineReader lines() {
        return lines;
    }

    /** Sends text (protocol replies are ASCII/UTF-8) and flushes. */
    public void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public String sessionId() {
        return sessionId;
    }

    public String sourceIp() {
        return sourceIp;
    }

    public int sourcePort() {
        return sourcePort;
    }

    /** The sensor's address this connection reached (passive FTP data sockets bind to it). */
    public java.net.InetAddress localAddress() {
        return socket.getLocalAddress();
    }

    public java.net.InetAddress remoteAddress() {
        return socket.getInetAddress();
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public SensorEvent.Builder event(EventAction action) {
        Instant now = clock.instant();
        return SensorEvent.builder(action, now, EventIds.next())
                .sensor(sensor)
                .session(sessionId, protocol)
                .source(sourceIp(), sourcePort())
                .destinationPort(localPort());
    }

    @Override
    public void record(SensorEvent e) {
        recorder.accept(e);
    }

    /**
     * Ends the session the way nginx does after an error reply: stop sending, then read and discard what the
     * client is still sending (at most 256 KiB, at most 1 s), so the close does not reset the connection and
     * destroy the reply before the client has read it.
     */
    public void lingeringClose() {
        try {
            out.flush();
            socket.shutdownOutput();
            readTimeout(Duration.ofSeconds(1));
            byte[] sink = new byte[8192];
            long left = 256 * 1024;
            int n;
            while (left > 0 && (n = in.read(sink)) > 0) {
                left -= n;
            }
        } catch (IOException ignored) {
            // the client is gone or slow: the listener closes the socket either way
        }
    }

    Socket socket() {
        return socket;
    }
}
