package io.rustbucket.sensor.telnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.listen.ConnectionGate;
import io.rustbucket.sensor.listen.Listener;
import io.rustbucket.sensor.record.RecordedEvents;
import io.rustbucket.sensor.record.SensorEvent;
import io.rustbucket.sensor.respond.Responder;
import io.rustbucket.sensor.respond.ResponderConfig;
import io.rustbucket.sensor.shell.FakeHost;
import io.rustbucket.sensor.shell.FakeMachine;
import io.rustbucket.sensor.shell.LoginPolicy;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Telnet login server and shell over a real socket, driven the way bots and people drive it. */
class TelnetHandlerTest {
    final List<SensorEvent> events = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService deadlines = Listener.deadlineScheduler();
    final FakeMachine machine = FakeMachine.forSensor("sensor-t", null, Clock.systemUTC());
    Listener listener;
    Socket socket;
    InputStream in;
    OutputStream out;

    void start(LoginPolicy policy) throws Exception {
        SensorLimits limits = SensorLimits.defaults();
        FakeHost host = new FakeHost(
                machine,
                policy,
                new Responder(null, List.of("persona"), "", ResponderConfig.defaults(), Clock.systemUTC()));
        listener = new Listener(
                "telnet",
                InetAddress.getLoopbackAddress(),
                0,
                new ConnectionGate(100, 10),
                limits,
                new TelnetHandler(host, limits),
                "sensor-t",
                Clock.systemUTC(),
                events::add,
                deadlines);
        socket = new Socket(InetAddress.getLoopbackAddress(), listener.port());
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    @AfterEach
    void stop() throws Exception {
        if (socket != null) {
            socket.close();
        }
        if (listener != null) {
            listener.close();
        }
        deadlines.shutdownNow();
    }

    /** Answers the server's first questions (as a client that will not tell its terminal type), returns them. */
    byte[] greet() throws Exception {
        byte[] questions = in.readNBytes(12);
        send("\u00ff\u00fc\u0018\u00ff\u00fc\u0020\u00ff\u00fc\u0023\u00ff\u00fc\u0027");
        return questions;
    }

    /** Reads until the text ends with {@code suffix}; returns what was read (IAC bytes included). */
    String until(String suffix) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        while (!got.toString(StandardCharsets.ISO_8859_1).endsWith(suffix)) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            got.write(b);
        }
        return got.toString(StandardCharsets.ISO_8859_1);
    }

    void send(String s) throws Exception {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    List<Map<String, Object>> recorded(String action) {
        return RecordedEvents.withAction(events, action);
    }

    @Test
    void negotiatesLogsInAndRunsCommands() throws Exception {
        start(LoginPolicy.defaults());
        assertThat(greet()).containsExactly(TelnetInput.terminalQuestions());
        String greeting = until("login: ");
        assertThat(greeting.getBytes(StandardCharsets.ISO_8859_1)[0]).isEqualTo((byte) 255);
        assertThat(greeting).contains("Ubuntu 22.04.3 LTS").endsWith(machine.hostname() + " login: ");
        // a client's own negotiation (DO ECHO confirmation, WILL NAWS) is answered, not shown
        send("\u00ff\u00fd\u0001\u00ff\u00fb\u001froot\r\n");
        String afterUser = until("Password: ");
        assertThat(afterUser).contains("root\r\n").contains("\u00ff\u00fe\u001f");
        send("hunter2\r\n");
        String motd = until("# ");
        assertThat(motd)
                .doesNotContain("hunter2")
                .contains("Welcome to Ubuntu")
                .endsWith("root@" + machine.hostname() + ":~# ");
        send("uname -m; id\r\n");
        assertThat(until("# ")).contains("x86_64\r\nuid=0(root)");
        send("echo abc\u007f\u007fz\r\n");
        assertThat(until("# ")).contains("\r\naz\r\n");
        send("exit\r\n");
        assertThat(until("logout\r\n")).endsWith("logout\r\n");
        assertThat(in.read()).isEqualTo(-1);
        await().until(() -> !recorded("connection.close").isEmpty());
        assertThat(recorded("login.attempt")).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("user.name", "root").containsEntry("honeypot.password", "hunter2");
            assertThat(e).containsEntry("event.outcome", "success").containsEntry("network.protocol", "telnet");
        });
        assertThat(recorded("command"))
                .extracting(e -> e.get("honeypot.input"))
                .containsExactly("uname -m; id", "echo az", "exit");
        assertThat(recorded("command").get(0)).containsEntry("honeypot.responder", "emulator");
    }

    @Test
    void miraiStyleScriptSentAtOnce() throws Exception {
        start(LoginPolicy.defaults());
        greet();
        until("login: ");
        send("admin\r\nadmin\r\nenable\r\nsystem\r\nshell\r\nsh\r\n/bin/busybox ECCHI\r\n");
        String all = until("ECCHI: applet not found\r\n");
        assertThat(all).contains("-bash: system: command not found").contains("enable cd");
        await().until(() -> recorded("command").size() >= 5);
        assertThat(recorded("command"))
                .allSatisfy(e -> assertThat(e.get("honeypot.responder")).isEqualTo("emulator"));
    }

    @Test
    void refusedLoginsAreRecordedAndTheThirdEndsTheSession() throws Exception {
        start(new LoginPolicy("none", null, null));
        greet();
        until("login: ");
        for (int i = 0; i < 3; i++) {
            send("root\r\n");
            until("Password: ");
            send("pass" + i + "\r\n");
            assertThat(until("\r\nLogin incorrect\r\n")).endsWith("Login incorrect\r\n");
            if (i < 2) {
                until("login: ");
            }
        }
        assertThat(in.read()).isEqualTo(-1);
        await().until(() -> recorded("login.attempt").size() == 3);
        assertThat(recorded("login.attempt"))
                .extracting(e -> e.get("honeypot.password"))
                .containsExactly("pass0", "pass1", "pass2");
        assertThat(recorded("login.attempt")).allSatisfy(e -> assertThat(e).containsEntry("event.outcome", "failure"));
    }

    @Test
    void hostileBytesEndOnlyThatSession() throws Exception {
        start(LoginPolicy.defaults());
        greet();
        until("login: ");
        // an IAC flood: commands without data end the session
        byte[] flood = new byte[4000];
        for (int i = 0; i < flood.length; i += 2) {
            flood[i] = (byte) 255;
            flood[i + 1] = (byte) 241; // NOP
        }
        out.write(flood);
        out.flush();
        try {
            while (in.read() >= 0) {}
        } catch (java.net.SocketException reset) {
            // closed with our flood unread: a reset is the close
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the sensor should have closed the flooding session", e);
        }
        // a 1 MB line is refused; the listener still serves the next client
        Socket second = new Socket(InetAddress.getLoopbackAddress(), listener.port());
        second.setSoTimeout(5000);
        try {
            second.getOutputStream().write("x".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII));
            while (second.getInputStream().read() >= 0) {}
        } catch (java.net.SocketException expected) {
            // broken pipe or reset: the sensor closed the connection at the line cap, as it should
        }
        second.close();
        socket = new Socket(InetAddress.getLoopbackAddress(), listener.port());
        socket.setSoTimeout(5000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
        greet();
        assertThat(until("login: ")).endsWith("login: ");
        await().until(() -> recorded("connection.close").size() >= 2);
        assertThat(recorded("connection.close"))
                .extracting(e -> (String) e.get("message"))
                .anySatisfy(m -> assertThat(m).contains("line limit"));
    }
}
