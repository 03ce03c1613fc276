package io.rustbucket.sensor.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.listen.ConnectionGate;
import io.rustbucket.sensor.listen.Listener;
import io.rustbucket.sensor.record.RecordedEvents;
import io.rustbucket.sensor.record.SensorEvent;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The SMTP emulator over a real socket, answering as Postfix does. */
class SmtpHandlerTest {
    static final String BANNER = "220 mail.example.com ESMTP Postfix (Ubuntu)";
    final List<SensorEvent> events = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService deadlines = Listener.deadlineScheduler();
    Listener listener;
    Socket socket;
    BufferedReader in;
    OutputStream out;

    private void start(SensorLimits limits) throws Exception {
        listener = new Listener(
                "smtp",
                InetAddress.getLoopbackAddress(),
                0,
                new ConnectionGate(100, 10),
                limits,
                new SmtpHandler("mail.example.com", BANNER, limits),
                "sensor-t",
                Clock.systemUTC(),
                events::add,
                deadlines);
        socket = new Socket(InetAddress.getLoopbackAddress(), listener.port());
        socket.setSoTimeout(5000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        out = socket.getOutputStream();
        assertThat(in.readLine()).isEqualTo(BANNER);
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

    /** Sends a line and returns the whole reply (multi-line replies joined by newlines). */
    private String say(String line) throws Exception {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        List<String> reply = new ArrayList<>();
        String l;
        do {
            l = in.readLine();
            reply.add(l);
        } while (l != null && l.length() > 3 && l.charAt(3) == '-');
        return String.join("\n", reply);
    }

    private List<Map<String, Object>> recorded(String action) {
        return RecordedEvents.withAction(events, action);
    }

    @Test
    void deliversAMessageAndCapturesIt() throws Exception {
        start(SensorLimits.defaults());
        String ehlo = say("EHLO spam.example");
        assertThat(ehlo)
                .startsWith("250-mail.example.com")
                .contains("250-AUTH PLAIN LOGIN")
                .contains("250-SIZE 1048576")
                .endsWith("250 DSN");
        assertThat(say("MAIL FROM:<bulk@spam.example> SIZE=300")).isEqualTo("250 2.1.0 Ok");
        assertThat(say("RCPT TO:<victim@example.com>")).isEqualTo("250 2.1.5 Ok");
        assertThat(say("RCPT TO:<other@example.com>")).isEqualTo("250 2.1.5 Ok");
        assertThat(say("DATA")).startsWith("354 End data with <CR><LF>.<CR><LF>");
        out.write("Subject: Cheap meds\r\nFrom: bulk@spam.example\r\n\r\nBuy now\r\n..hidden dot line\r\n".getBytes());
        assertThat(say(".")).startsWith("250 2.0.0 Ok: queued as ");
        assertThat(say("QUIT")).isEqualTo("221 2.0.0 Bye");
        await().atMost(Duration.ofSeconds(3))
                .until(() -> !recorded("mail.message").isEmpty());
        Map<String, Object> mail = recorded("mail.message").getFirst();
        assertThat(mail.get("message").toString())
                .contains("<bulk@spam.example>")
                .contains("victim@example.com, other@example.com")
                .contains("subject: Cheap meds");
        assertThat(mail.get("honeypot.input").toString())
                .contains("\r\n.hidden dot line")
                .doesNotContain("..hidden");
        assertThat(mail.get("file.hash.sha256").toString()).hasSize(64);
    }

    @Test
    void commandsOutOfSequenceGetPostfixErrors() throws Exception {
        start(SensorLimits.defaults());
        assertThat(say("MAIL FROM:<a@b>")).isEqualTo("503 5.5.1 Error: send HELO/EHLO first");
        assertThat(say("HELO x")).isEqualTo("250 mail.example.com");
        assertThat(say("RCPT TO:<a@b>")).isEqualTo("503 5.5.1 Error: need MAIL command");
        assertThat(say("DATA")).isEqualTo("503 5.5.1 Error: need RCPT command");
        assertThat(say("MAIL FROM:<a@b>")).isEqualTo("250 2.1.0 Ok");
        assertThat(say("MAIL FROM:<a@b>")).isEqualTo("503 5.5.1 Error: nested MAIL command");
        assertThat(say("RSET")).isEqualTo("250 2.0.0 Ok");
        assertThat(say("XYZZY")).isEqualTo("502 5.5.2 Error: command not recognized");
        assertThat(say("NOOP")).isEqualTo("250 2.0.0 Ok");
    }

    @Test
    void authPlainAndLoginCredentialsAreRecordedAndRefused() throws Exception {
        start(SensorLimits.defaults());
        say("EHLO x");
        String plain = Base64.getEncoder().encodeToString("\u0000admin\u0000hunter2".getBytes());
        assertThat(say("AUTH PLAIN " + plain))
                .isEqualTo("535 5.7.8 Error: authentication failed: authentication failure");
        assertThat(say("AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
        assertThat(say(Base64.getEncoder().encodeToString("info@example.com".getBytes())))
                .isEqualTo("334 UGFzc3dvcmQ6");
        assertThat(say(Base64.getEncoder().encodeToString("123456".getBytes()))).startsWith("535 5.7.8");
        await().atMost(Duration.ofSeconds(3))
                .until(() -> recorded("login.attempt").size() == 2);
        assertThat(recorded("login.attempt"))
                .extracting(f -> f.get("user.name") + "/" + f.get("honeypot.password"))
                .containsExactly("admin/hunter2", "info@example.com/123456");
    }

    @Test
    void anOversizedMessageIsRefusedAndTheSessionGoesOn() throws Exception {
        start(new SensorLimits(null, null, null, null, null, null, null, 1000L, null));
        say("EHLO x");
        say("MAIL FROM:<a@b>");
        say("RCPT TO:<c@d>");
        say("DATA");
        for (int i = 0; i < 50; i++) {
            out.write(("line " + i + " " + "x".repeat(60) + "\r\n").getBytes());
        }
        assertThat(say(".")).isEqualTo("552 5.3.4 Error: message file too big");
        assertThat(say("RSET")).isEqualTo("250 2.0.0 Ok");
        assertThat(recorded("mail.message")).isEmpty();
    }

    @Test
    void tooManyErrorsEndTheSession() throws Exception {
        start(SensorLimits.defaults());
        String last = "";
        for (int i = 0; i < SmtpHandler.MAX_ERRORS; i++) {
            last = say("BOGUS " + i);
        }
        assertThat(last).isEqualTo("502 5.5.2 Error: command not recognized");
        assertThat(in.readLine()).isEqualTo("421 4.7.0 mail.example.com Error: too many errors");
        assertThat(in.readLine()).isNull();
    }

    @Test
    void aDataPhaseThatNeverEndsTimesOutWithPostfixsGoodbye() throws Exception {
        start(new SensorLimits(null, null, 1, null, null, null, null, null, null));
        say("EHLO x");
        say("MAIL FROM:<a@b>");
        say("RCPT TO:<c@d>");
        say("DATA");
        out.write("Subject: never ends\r\n".getBytes());
        assertThat(in.readLine()).isEqualTo("421 4.4.2 mail.example.com Error: timeout exceeded");
        assertThat(in.readLine()).isNull();
    }

    @Test
    void anOverlongLineIsRefusedWithAProtocolError() throws Exception {
        start(SensorLimits.defaults());
        out.write(("EHLO " + "a".repeat(20_000) + "\r\n").getBytes());
        assertThat(in.readLine()).isEqualTo("500 5.5.0 Error: line too long");
    }
}
