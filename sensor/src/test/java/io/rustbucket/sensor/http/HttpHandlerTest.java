package io.rustbucket.sensor.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.listen.ConnectionGate;
import io.rustbucket.sensor.listen.Listener;
import io.rustbucket.sensor.record.RecordedEvents;
import io.rustbucket.sensor.record.SensorEvent;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP emulator with the JDK client (well-formed traffic) and raw sockets (what scanners really send). */
class HttpHandlerTest {
    static final String SERVER = "nginx/1.18.0 (Ubuntu)";
    final List<SensorEvent> events = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService deadlines = Listener.deadlineScheduler();
    final HttpClient client =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Listener listener;
    String base;

    @BeforeEach
    void start() throws Exception {
        SensorLimits limits = new SensorLimits(null, null, 2, null, null, null, 4096, 64 * 1024L, null);
        listener = new Listener(
                "http",
                InetAddress.getLoopbackAddress(),
                0,
                new ConnectionGate(100, 20),
                limits,
                new HttpHandler(SERVER, limits, Clock.systemUTC()),
                "sensor-t",
                Clock.systemUTC(),
                events::add,
                deadlines);
        base = "http://127.0.0.1:" + listener.port();
    }

    @AfterEach
    void stop() {
        listener.close();
        deadlines.shutdownNow();
    }

    private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("User-Agent", "zgrab/0.x");
        headers.forEach(b::header);
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends raw bytes, returns everything the server answers until it closes (or 3 s). */
    private String raw(String request) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.port())) {
            s.setSoTimeout(3000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                in.transferTo(out);
            } catch (java.net.SocketTimeoutException stillOpen) {
                // keep-alive: what arrived is the answer
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private List<Map<String, Object>> recorded(String action) {
        return RecordedEvents.withAction(events, action);
    }

    @Test
    void rootLooksLikeAFreshNginx() throws Exception {
        HttpResponse<String> r = get("/", Map.of());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Server")).contains(SERVER);
        assertThat(r.headers().firstValue("Date")).isPresent();
        assertThat(r.body()).contains("<title>Welcome to nginx!</title>");
        await().atMost(Duration.ofSeconds(3))
                .until(() -> !recorded("http.request").isEmpty());
        assertThat(recorded("http.request").getFirst())
                .containsEntry("url.original", "/")
                .containsEntry("http.request.method", "GET")
                .containsEntry("user_agent.original", "zgrab/0.x")
                .containsEntry("honeypot.responder", "emulator");
    }

    @Test
    void unknownPathsGetNginxsOwn404AndDotfilesA403() throws Exception {
        HttpResponse<String> missing = get("/phpmyadmin/index.php", Map.of());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body())
                .contains("<center><h1>404 Not Found</h1></center>")
                .contains("<hr><center>" + SERVER + "</center>");
        assertThat(get("/.env", Map.of()).statusCode()).isEqualTo(403);
        assertThat(get("/robots.txt", Map.of()).body()).contains("Disallow: /admin/");
    }

    @Test
    void basicAuthAndWordpressLoginsAreCaptured() throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString("admin:admin123".getBytes());
        HttpResponse<String> admin = get("/admin/", Map.of("Authorization", basic));
        assertThat(admin.statusCode()).isEqualTo(401);
        assertThat(admin.headers().firstValue("WWW-Authenticate")).contains("Basic realm=\"Restricted\"");
        HttpResponse<String> wp = client.send(
                HttpRequest.newBuilder(URI.create(base + "/wp-login.php"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("log=editor&pwd=p%40ss%26word&wp-submit=Log+In"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(wp.body()).contains("The password you entered for the username is incorrect");
        await().atMost(Duration.ofSeconds(3))
                .until(() -> recorded("login.attempt").size() == 2);
        assertThat(recorded("login.attempt"))
                .extracting(f -> f.get("user.name") + "/" + f.get("honeypot.password"))
                .containsExactly("admin/admin123", "editor/p@ss&word");
    }

    @Test
    void keepAliveServesSeveralRequestsOnOneConnectionAndChunkedBodiesAreRead() throws Exception {
        String answer = raw(
                "POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"
                        + "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        assertThat(answer)
                .contains("HTTP/1.1 404 Not Found")
                .contains("HTTP/1.1 200 OK")
                .contains("Connection: close");
        await().atMost(Duration.ofSeconds(3))
                .until(() -> recorded("http.request").size() == 2);
        assertThat(recorded("http.request").getFirst()).containsEntry("honeypot.input", "hello world");
    }

    @Test
    void smugglingAttemptsAndBrokenFramingAreRefused() throws Exception {
        assertThat(
                        raw(
                                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"))
                .startsWith("HTTP/1.1 400 Bad Request")
                .contains("Connection: close");
        assertThat(raw("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 5\r\n\r\nabcde"))
                .startsWith("HTTP/1.1 400 Bad Request");
        assertThat(raw("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"))
                .startsWith("HTTP/1.1 400 Bad Request");
        assertThat(raw("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999\r\n\r\n"))
                .startsWith("HTTP/1.1 413 Request Entity Too Large");
        assertThat(raw("GARBAGE\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request");
        await().atMost(Duration.ofSeconds(3))
                .until(() -> recorded("protocol.error").size() == 5);
    }

    @Test
    void headerFloodsAreRefusedWith431() throws Exception {
        StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\nHost: a\r\n");
        for (int i = 0; i < 1000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        assertThat(raw(many.append("\r\n").toString())).startsWith("HTTP/1.1 431 Request Header Fields Too Large");
    }

    @Test
    void http10ClosesAfterTheAnswerAndHeadHasNoBody() throws Exception {
        String answer = raw("HEAD / HTTP/1.0\r\n\r\n");
        assertThat(answer)
                .startsWith("HTTP/1.1 200 OK")
                .contains("Connection: close")
                .endsWith("\r\n\r\n");
    }
}
