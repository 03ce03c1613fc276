package io.rustbucket.sensor.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.listen.ConnectionGate;
import io.rustbucket.sensor.listen.Listener;
import io.rustbucket.sensor.record.SensorEvent;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Jakarta Mail (Angus) as a spammer's client would use it, against the SMTP emulator. */
class SmtpRealClientTest {
    final List<SensorEvent> events = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService deadlines = Listener.deadlineScheduler();
    Listener listener;

    @BeforeEach
    void start() throws Exception {
        SensorLimits limits = SensorLimits.defaults();
        listener = new Listener(
                "smtp",
                InetAddress.getLoopbackAddress(),
                0,
                new ConnectionGate(100, 10),
                limits,
                new SmtpHandler("mail.example.com", "220 mail.example.com ESMTP Postfix (Ubuntu)", limits),
                "sensor-t",
                Clock.systemUTC(),
                events::add,
                deadlines);
    }

    @AfterEach
    void stop() {
        listener.close();
        deadlines.shutdownNow();
    }

    private Session session(boolean auth) {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", Integer.toString(listener.port()));
        p.put("mail.smtp.auth", Boolean.toString(auth));
        p.put("mail.smtp.connectiontimeout", "5000");
        p.put("mail.smtp.timeout", "5000");
        return Session.getInstance(p);
    }

    private MimeMessage message(Session s) throws Exception {
        MimeMessage m = new MimeMessage(s);
        m.setFrom(new InternetAddress("promo@spam.example"));
        m.setRecipients(Message.RecipientType.TO, "victim@example.com, second@example.com");
        m.setSubject("You won ✓");
        m.setText("Claim your prize at http://evil.example/claim\n.\n..a dotted line");
        return m;
    }

    @Test
    void aRealClientDeliversAndTheMessageIsCaptured() throws Exception {
        Transport.send(message(session(false)));
        await().atMost(Duration.ofSeconds(3))
                .until(() -> events.stream()
                        .anyMatch(e -> "mail.message".equals(e.fields().get("event.action"))));
        SensorEvent mail = events.stream()
                .filter(e -> "mail.message".equals(e.fields().get("event.action")))
                .findFirst()
                .orElseThrow();
        assertThat(mail.fields().get("message").toString())
                .contains("promo@spam.example")
                .contains("victim@example.com");
        assertThat(mail.fields().get("honeypot.input").toString())
                .contains("http://evil.example/claim")
                .contains("\r\n.\r\n..a dotted line");
    }

    @Test
    void aRealClientsLoginIsRecordedAndRefused() {
        Session s = session(true);
        assertThatThrownBy(() -> Transport.send(message(s), "spammer@example.com", "Passw0rd!"))
                .isInstanceOf(AuthenticationFailedException.class);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> events.stream()
                        .anyMatch(e -> "login.attempt".equals(e.fields().get("event.action"))));
        SensorEvent login = events.stream()
                .filter(e -> "login.attempt".equals(e.fields().get("event.action")))
                .findFirst()
                .orElseThrow();
        assertThat(login.fields())
                .containsEntry("user.name", "spammer@example.com")
                .containsEntry("honeypot.password", "Passw0rd!");
    }
}
