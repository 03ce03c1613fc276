package io.rustbucket.sensor.listen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.record.SensorEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The listener over real loopback sockets: gate, timeouts, session cap, isolation of failing sessions. */
class ListenerTest {
    final List<SensorEvent> events = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService deadlines = Listener.deadlineScheduler();
    Listener listener;

    /** Greets with a banner, echoes lines back; "boom" throws, as a buggy protocol would. */
    static final ProtocolHandler ECHO = new ProtocolHandler() {
        @Override
        public void greet(Connection c) throws java.io.IOException {
            c.send("220 ready\r\n");
        }

        @Override
        public void handle(Connection c) throws java.io.IOException {
            String line;
            while ((line = c.lines().readLineUtf8()) != null) {
                if (line.equals("boom")) {
                    throw new IllegalStateException("handler bug");
                }
                c.send("echo " + line + "\r\n");
            }
        }
    };

    private Listener start(SensorLimits limits) throws Exception {
        listener = new Listener(
                "test",
                InetAddress.getLoopbackAddress(),
                0,
                new ConnectionGate(limits.maxConnections(), limits.perIpConnections()),
                limits,
                ECHO,
                "sensor-t",
                Clock.systemUTC(),
                events::add,
                deadlines);
        return listener;
    }

    @AfterEach
    void stop() {
        if (listener != null) {
            listener.close();
        }
        deadlines.shutdownNow();
    }

    private Socket connect() throws Exception {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.port());
        s.setSoTimeout(5000);
        return s;
    }

    private static BufferedReader in(Socket s) throws Exception {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
    }

    private List<String> actions() {
        return events.stream().map(e -> (String) e.fields().get("event.action")).toList();
    }

    @Test
    void servesAClientAndRecordsOpenAndClose() throws Exception {
        start(SensorLimits.defaults());
        try (Socket s = connect()) {
            BufferedReader r = in(s);
            assertThat(r.readLine()).isEqualTo("220 ready");
            s.getOutputStream().write("hello\r\n".getBytes());
            assertThat(r.readLine()).isEqualTo("echo hello");
        }
        await().atMost(Duration.ofSeconds(3)).until(() -> actions().contains("connection.close"));
        SensorEvent open = events.getFirst();
        assertThat(open.fields())
                .containsEntry("event.action", "connection.open")
                .containsEntry("source.ip", "127.0.0.1")
                .containsEntry("network.protocol", "test")
                .containsEntry("observer.name", "sensor-t");
        assertThat(events.getLast().fields().get("session.id"))
                .isEqualTo(open.fields().get("session.id"));
    }

    @Test
    void connectionsBeyondThePerIpLimitAreClosedAndRecorded() throws Exception {
        start(new SensorLimits(100, 2, null, null, null, null, null, null, null));
        try (Socket a = connect();
                Socket b = connect()) {
            assertThat(in(a).readLine()).isEqualTo("220 ready");
            assertThat(in(b).readLine()).isEqualTo("220 ready");
            try (Socket c = connect()) {
                assertThat(c.getInputStream().read()).isEqualTo(-1); // closed without a banner
            }
            await().atMost(Duration.ofSeconds(3)).until(() -> actions().contains("limit.exceeded"));
            assertThat(events.stream()
                            .filter(e -> "limit.exceeded".equals(e.fields().get("event.action")))
                            .findFirst()
                            .orElseThrow()
                            .fields()
                            .get("message")
                            .toString())
                    .contains("per_ip_connections 2");
        }
    }

    @Test
    void aSilentClientIsClosedAtTheIdleTimeout() throws Exception {
        start(new SensorLimits(null, null, 1, null, null, null, null, null, null));
        long t0 = System.nanoTime();
        try (Socket s = connect()) {
            BufferedReader r = in(s);
            assertThat(r.readLine()).isEqualTo("220 ready");
            assertThat(r.readLine()).isNull();
        }
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(900L, 4000L);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> events.stream()
                        .anyMatch(e -> e.fields().get("message").toString().startsWith("idle timeout 1 s")));
    }

    @Test
    void aClientThatFallsSilentMidConversationIsClosedAtTheIdleTimeout() throws Exception {
        start(new SensorLimits(null, null, 1, null, null, null, null, null, null));
        try (Socket s = connect()) {
            BufferedReader r = in(s);
            r.readLine();
            OutputStream out = s.getOutputStream();
            for (int i = 0; i < 4; i++) { // each read has its own deadline: 4 lines 600 ms apart outlive 1 s
                out.write(("line " + i + "\r\n").getBytes());
                assertThat(r.readLine()).isEqualTo("echo line " + i);
                Thread.sleep(600);
            }
            long t0 = System.nanoTime();
            assertThat(r.readLine()).isNull(); // the handler's read, not the selector, timed out
            assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(300L, 3000L);
        }
        await().atMost(Duration.ofSeconds(3))
                .until(() -> events.stream()
                        .anyMatch(e -> e.fields().get("message").toString().startsWith("idle timeout 1 s")));
    }

    @Test
    void aBusyClientIsClosedAtTheSessionCap() throws Exception {
        start(new SensorLimits(null, null, null, null, 1, null, null, null, null));
        long t0 = System.nanoTime();
        try (Socket s = connect()) {
            BufferedReader r = in(s);
            r.readLine();
            OutputStream out = s.getOutputStream();
            String line = "";
            while (line != null && System.nanoTime() - t0 < 5_000_000_000L) {
                out.write("ping\r\n".getBytes());
                line = r.readLine();
                Thread.sleep(100);
            }
        } catch (java.net.SocketException closed) {
            // the server closed while we wrote: expected
        }
        assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(900L, 4000L);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> events.stream()
                        .anyMatch(e -> e.fields().get("message").toString().startsWith("session cap 1 s")));
    }

    @Test
    void anOverlongLineEndsTheSessionWithItsReason() throws Exception {
        start(SensorLimits.defaults());
        try (Socket s = connect()) {
            BufferedReader r = in(s);
            r.readLine();
            s.getOutputStream().write(new byte[100_000]);
            try {
                assertThat(r.readLine()).isNull();
            } catch (java.net.SocketException reset) {
                // closed with the rest of our line unread: the reset is the close
            }
        }
        await().atMost(Duration.ofSeconds(3))
                .until(() -> events.stream()
                        .anyMatch(e ->
                                e.fields().get("message").toString().startsWith("line limit 8192 bytes exceeded")));
    }

    @Test
    void aFailingSessionDoesNotDisturbOthers() throws Exception {
        start(SensorLimits.defaults());
        try (Socket good = connect();
                Socket bad = connect()) {
            BufferedReader g = in(good);
            BufferedReader b = in(bad);
            g.readLine();
            b.readLine();
            bad.getOutputStream().write("boom\r\n".getBytes());
            assertThat(b.readLine()).isNull(); // ended, with no error text sent
            good.getOutputStream().write("still here\r\n".getBytes());
            assertThat(g.readLine()).isEqualTo("echo still here");
        }
        try (Socket again = connect()) {
            assertThat(in(again).readLine()).isEqualTo("220 ready");
        }
    }
}
