package io.rustbucket.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.rustbucket.alerts.incident.Alert;
import io.rustbucket.alerts.incident.Condition;
import io.rustbucket.alerts.incident.Severity;
import io.rustbucket.alerts.notify.Deliveries;
import io.rustbucket.alerts.notify.WebhookNotifier;
import io.rustbucket.core.json.Json;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Notices over real SMTP (GreenMail, both TLS modes), a webhook receiver and a fake Telegram Bot API. */
class NotifierTest {
    static final String TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345";
    static final String SECRET = "a-webhook-secret-0123456789";

    AlertsFixture f;
    GreenMail mail;
    HttpServer server;
    final List<Map<String, Object>> requests = new CopyOnWriteArrayList<>();
    final Deque<int[]> answers = new ArrayDeque<>(); // {status, retry_after}

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
        if (mail != null) {
            mail.stop();
        }
        if (server != null) {
            server.stop(0);
        }
    }

    private Alert.Change open(String key, Severity s) {
        return f.alerts
                .book()
                .observe(
                        key.substring(0, key.indexOf('/')),
                        List.of(new Condition(
                                key, "disk", s, "index storage low: 3.0 GB free", "<b>not markup</b>", 3)),
                        Duration.ofMinutes(30))
                .get(0);
    }

    /** A loopback server recording each request; answers are taken from {@link #answers} (default 200). */
    private String startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            requests.add(Map.of(
                    "path", ex.getRequestURI().getPath(),
                    "headers", ex.getRequestHeaders(),
                    "body", new String(body, StandardCharsets.UTF_8)));
            int[] a;
            synchronized (answers) {
                a = answers.isEmpty() ? new int[] {200, 0} : answers.poll();
            }
            String json = a[0] == 200
                    ? "{\"ok\":true,\"result\":{\"message_id\":7}}"
                    : "{\"ok\":false,\"error_code\":" + a[0] + ",\"description\":\"Too Many Requests: retry after "
                            + a[1] + "\",\"parameters\":{\"retry_after\":" + a[1] + "}}";
            byte[] out = json.getBytes(StandardCharsets.UTF_8);
            if (a[0] != 200 && a[1] > 0) {
                ex.getResponseHeaders().add("Retry-After", String.valueOf(a[1]));
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(a[0], out.length);
            ex.getResponseBody().write(out);
            ex.close();
        });
        server.start();
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Test
    void mailGoesToEveryRecipientOverImplicitTls() throws Exception {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS));
        mail.start();
        mail.setUser("alerts@rustbucket.test", "alerts", "mail-pass");
        f = new AlertsFixture(Map.of(
                "email",
                Map.of(
                        "host", "127.0.0.1",
                        "port", mail.getSmtps().getPort(),
                        "tls", "implicit",
                        "username", "alerts",
                        "password", "mail-pass",
                        "from", "alerts@rustbucket.test",
                        "to", List.of("ops@example.test", "oncall@example.test"),
                        "trust_hosts", List.of("127.0.0.1"))));
        f.alerts.announce(open("storage/disk", Severity.CRITICAL));
        assertThat(f.alerts.deliverNow()).isEqualTo(1);
        assertThat(mail.waitForIncomingEmail(5000, 2)).isTrue();
        MimeMessage[] got = mail.getReceivedMessages();
        assertThat(got).hasSize(2);
        assertThat(got[0].getSubject()).isEqualTo("[CRITICAL][DISK] index storage low: 3.0 GB free");
        assertThat((String) got[0].getContent()).contains("<b>not markup</b>", "http://console.test/api/alerts/");
        assertThat(List.of(got[0].getAllRecipients()).toString()).contains("ops@example.test", "oncall@example.test");
    }

    @Test
    void requiredStartTlsNeverFallsBackToClearText() throws Exception {
        // GreenMail offers no STARTTLS (its issue #135): the notice must wait, not go out in clear text.
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        f = new AlertsFixture(Map.of(
                "email",
                Map.of(
                        "host", "127.0.0.1",
                        "port", mail.getSmtp().getPort(),
                        "tls", "starttls",
                        "from", "alerts@rustbucket.test",
                        "to", List.of("ops@example.test"))));
        Alert.Change c = open("storage/disk", Severity.WARNING);
        f.alerts.announce(c);
        assertThat(f.alerts.deliverNow()).isZero();
        assertThat(mail.getReceivedMessages()).isEmpty();
        assertThat(f.alerts.deliveries().forAlert(c.alert().id()).get(0).lastError())
                .contains("STARTTLS is required");
    }

    @Test
    void aRelayThatIsDownIsRetriedWithBackoffThenDelivered() throws Exception {
        mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        int port = mail.getSmtp().getPort();
        mail.stop(); // the relay is down when the alert fires
        f = new AlertsFixture(Map.of(
                "email",
                Map.of(
                        "host",
                        "127.0.0.1",
                        "port",
                        port,
                        "tls",
                        "none",
                        "from",
                        "alerts@rustbucket.test",
                        "to",
                        List.of("ops@example.test"),
                        "timeout_secs",
                        3)));
        Alert.Change c = open("storage/disk", Severity.WARNING);
        f.alerts.announce(c);
        assertThat(f.alerts.deliverNow()).isZero();
        Deliveries.Delivery d = f.alerts.deliveries().forAlert(c.alert().id()).get(0);
        assertThat(d.status()).isEqualTo("pending");
        assertThat(d.attempts()).isEqualTo(1);
        assertThat(d.lastError()).contains("127.0.0.1:" + port);

        mail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        assertThat(f.alerts.deliverNow()).isZero(); // not due yet: backoff
        f.clock.advance(Duration.ofSeconds(11));
        assertThat(f.alerts.deliverNow()).isEqualTo(1);
        assertThat(mail.waitForIncomingEmail(5000, 1)).isTrue();
        assertThat(mail.getReceivedMessages()[0].getSubject())
                .isEqualTo("[WARNING][DISK] index storage low: 3.0 GB free");
        assertThat(f.alerts.deliveries().forAlert(c.alert().id()).get(0).status())
                .isEqualTo("sent");
    }

    @Test
    void webhookBodiesAreSignedAndRefusalsAreVisible() throws Exception {
        String url = startServer();
        f = new AlertsFixture(
                Map.of("webhook", Map.of("url", url + "/hook", "secret", SECRET, "min_severity", "warning")));
        Alert.Change c = open("storage/disk", Severity.WARNING);
        f.alerts.announce(c);
        assertThat(f.alerts.deliverNow()).isEqualTo(1);
        Map<String, Object> req = requests.get(0);
        @SuppressWarnings("unchecked")
        Map<String, List<String>> headers = (Map<String, List<String>>) req.get("headers");
        String body = (String) req.get("body");
        String ts = headers.get(WebhookNotifier.TIMESTAMP_HEADER).get(0);
        assertThat(headers.get(WebhookNotifier.SIGNATURE_HEADER).get(0))
                .isEqualTo("sha256=" + WebhookNotifier.sign(SECRET, ts + "." + body));
        JsonNode json = Json.mapper().readTree(body);
        assertThat(json.path("event").asText()).isEqualTo("opened");
        assertThat(json.path("alert").path("id").asText()).isEqualTo(c.alert().id());

        // A receiver that refuses (400) for good: failed at once, reason kept. A 503 is retried.
        answers.add(new int[] {400, 0});
        answers.add(new int[] {503, 0});
        Alert.Change resolved =
                f.alerts.book().resolveByHand(c.alert().id(), "hunter").orElseThrow();
        f.alerts.announce(resolved);
        Alert.Change other = open("health/part/db", Severity.CRITICAL);
        f.alerts.announce(other);
        f.alerts.deliverNow();
        assertThat(f.alerts.deliveries().counts())
                .containsEntry("sent", 1L)
                .containsEntry("failed", 1L)
                .containsEntry("pending", 1L);
        List<Deliveries.Delivery> all = new java.util.ArrayList<>(
                f.alerts.deliveries().forAlert(c.alert().id()));
        all.addAll(f.alerts.deliveries().forAlert(other.alert().id()));
        assertThat(all)
                .extracting(d -> d.status() + " " + d.lastError())
                .containsExactlyInAnyOrder(
                        "sent null", "failed webhook answered HTTP 400", "pending webhook answered HTTP 503");
    }

    @Test
    void telegramRateLimitIsHonouredAndNoticesFollowTheRoute() throws Exception {
        String api = startServer();
        f = new AlertsFixture(Map.of(
                "telegram",
                Map.of(
                        "bot_token",
                        TOKEN,
                        "api_url",
                        api,
                        "chat_ids",
                        List.of("-100777"),
                        "min_severity",
                        "critical")));
        // Below the route's severity: nothing queued.
        f.alerts.announce(open("storage/disk", Severity.WARNING));
        assertThat(f.alerts.deliveries().counts()).isEmpty();

        answers.add(new int[] {429, 7});
        Alert.Change c = open("health/part/db", Severity.CRITICAL);
        f.alerts.announce(c);
        assertThat(f.alerts.deliverNow()).isZero();
        Deliveries.Delivery d = f.alerts.deliveries().forAlert(c.alert().id()).get(0);
        assertThat(d.nextAttemptAt()).isEqualTo(f.clock.instant().plusSeconds(7)); // Telegram's retry_after
        f.clock.advance(Duration.ofSeconds(7));
        assertThat(f.alerts.deliverNow()).isEqualTo(1);
        Map<String, Object> sent = requests.get(1);
        assertThat(sent.get("path")).isEqualTo("/bot" + TOKEN + "/sendMessage");
        JsonNode body = Json.mapper().readTree((String) sent.get("body"));
        assertThat(body.path("chat_id").asText()).isEqualTo("-100777");
        assertThat(body.path("text").asText()).startsWith("[CRITICAL][DISK]");
        assertThat(body.has("parse_mode")).isFalse(); // plain text: alert contents are never markup
        assertThat(f.alerts.deliveries().forAlert(c.alert().id()).get(0).lastError())
                .isNull();
    }
}
