package io.rustbucket.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.rustbucket.core.testing.TestHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A sensor's management API on loopback, over HTTPS with a fresh self-signed certificate or plain HTTP, that
 * answers like a real sensor or misbehaves on purpose (hangs, garbage, endless bodies, wrong key).
 */
final class FakeSensor implements AutoCloseable {
    enum Mode {
        NORMAL,
        HANG,
        ENDLESS,
        FAIL_500
    }

    /** {@code /update_bucket} answer shapes of the two registry generations. */
    enum Shape {
        UPDATES,
        FLAT,
        GARBAGE
    }

    final String key;
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicInteger logCalls = new AtomicInteger();
    volatile Mode mode = Mode.NORMAL;
    volatile Shape shape = Shape.UPDATES;
    volatile int pageLines = 2;
    /** false: answer logs without cursor headers, the whole log each time (an older sensor). */
    volatile boolean cursors = true;

    private final HttpServer server;
    private final String fingerprint;

    private FakeSensor(String key, boolean tls) throws Exception {
        this(key, tls, 0);
    }

    private FakeSensor(String key, boolean tls, int port) throws Exception {
        this.key = key;
        if (tls) {
            HttpsServer s = HttpsServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            KeyPair kp = keyPair();
            X509Certificate cert = selfSigned(kp);
            fingerprint = HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("k", kp.getPrivate(), "pw".toCharArray(), new X509Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "pw".toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            s.setHttpsConfigurator(new HttpsConfigurator(ctx));
            server = s;
        } else {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            fingerprint = null;
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    static FakeSensor https(String key) throws Exception {
        return new FakeSensor(key, true);
    }

    static FakeSensor http(String key) throws Exception {
        return new FakeSensor(key, false);
    }

    /** A plain-HTTP fake on a given port (legacy sensors are polled on one fixed port). */
    static FakeSensor httpOn(String key, int port) throws Exception {
        return new FakeSensor(key, false, port);
    }

    int port() {
        return server.getAddress().getPort();
    }

    String mgmtUrl() {
        return "https://127.0.0.1:" + port();
    }

    String fingerprint() {
        return fingerprint;
    }

    /** Adds {@code n} valid events of one session. */
    void addEvents(String sensorName, String session, int n) {
        for (int i = 0; i < n; i++) {
            lines.add(event(sensorName, session, "203.0.113.7", "command", "uname -a #" + lines.size()));
        }
    }

    static String event(String sensorName, String session, String ip, String action, String input) {
        return "{\"@timestamp\":\"" + Instant.now() + "\",\"event.id\":\"" + java.util.UUID.randomUUID()
                + "\",\"event.kind\":\"event\",\"event.action\":\"" + action + "\",\"observer.name\":\"" + sensorName
                + "\",\"session.id\":\"" + session + "\",\"source.ip\":\"" + ip + "\",\"source.port\":40000,"
                + "\"network.protocol\":\"ssh\",\"honeypot.input\":\"" + input + "\",\"message\":\"x\"}";
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.add(ex.getRequestMethod() + " " + ex.getRequestURI());
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (!("Token " + key).equals(auth)) {
            TestHttp.reply(ex, 404, "text/html", "<html>404 Not Found</html>");
            return;
        }
        switch (mode) {
            case HANG -> {
                try {
                    Thread.sleep(Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                ex.close();
                return;
            }
            case ENDLESS -> {
                ex.sendResponseHeaders(200, 0);
                byte[] chunk = (event("s", "endless", "198.51.100.1", "command", "x") + "\n").getBytes();
                try (OutputStream out = ex.getResponseBody()) {
                    for (long sent = 0; sent < (1L << 30); sent += chunk.length) {
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // the registry hung up: expected
                }
                return;
            }
            case FAIL_500 -> {
                TestHttp.reply(ex, 500, "application/json", "{\"error\":\"boom\"}");
                return;
            }
            default -> {}
        }
        String path = ex.getRequestURI().getPath();
        if (path.equals("/update_bucket")) {
            String metrics = "\"name\":\"fake\",\"operating_system\":\"linux (x86_64)\",\"cpu_usage\":\"12.5%\","
                    + "\"memory_usage\":\"40.0%\",\"disk_space\":\"10.0/20.0 GB free\",\"uptime\":\"0d 1h 2m\","
                    + "\"connections\":\"3\"";
            String body = switch (shape) {
                case UPDATES -> "{\"status\":\"ok\",\"updates\":[{" + metrics + ",\"ip_address\":\"127.0.0.1\"}]}";
                case FLAT -> "{" + metrics + "}";
                case GARBAGE -> "<<not json>>";
            };
            TestHttp.reply(ex, 200, "application/json", body);
        } else if (path.equals("/extract_logs")) {
            logCalls.incrementAndGet();
            String q = ex.getRequestURI().getQuery();
            int from = q != null && q.startsWith("since=")
                    ? Integer.parseInt(q.substring(6).replace("c", ""))
                    : 0;
            List<String> all = new ArrayList<>(lines);
            if (!cursors) {
                TestHttp.reply(ex, 200, "text/plain; charset=utf-8", join(all));
                return;
            }
            int to = Math.min(all.size(), from + pageLines);
            ex.getResponseHeaders().add("X-Log-Cursor", "c" + to);
            ex.getResponseHeaders().add("X-Log-More", String.valueOf(to < all.size()));
            TestHttp.reply(ex, 200, "text/plain; charset=utf-8", join(all.subList(from, to)));
        } else {
            TestHttp.reply(ex, 404, "text/plain", "no");
        }
    }

    private static String join(List<String> l) {
        StringBuilder b = new StringBuilder();
        l.forEach(s -> b.append(s).append('\n'));
        return b.toString();
    }

    private static KeyPair keyPair() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        return gen.generateKeyPair();
    }

    private static X509Certificate selfSigned(KeyPair kp) throws Exception {
        X500Name name = new X500Name("CN=127.0.0.1");
        Instant now = Instant.now();
        var b = new JcaX509v3CertificateBuilder(
                name,
                new BigInteger(64, new SecureRandom()),
                Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(30))),
                name,
                kp.getPublic());
        return new JcaX509CertificateConverter()
                .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
