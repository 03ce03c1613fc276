package io.rustbucket.registry.poll;

import io.rustbucket.registry.sensors.RegisteredSensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The registry's HTTP client for sensors' management APIs. HTTPS to the {@code mgmt_url} a sensor registered,
 * trusting exactly the certificate whose SHA-256 it registered (self-signed certificates on bare IPs have no
 * other identity to check); plain {@code http://{ip}/...} only for legacy sensors that registered none. Every call
 * has a whole-request deadline, enforced by closing the connection, so a sensor that drips bytes or hangs cannot
 * hold a poller; bodies are copied to the caller's sink up to a byte limit.
 */
public final class SensorClient implements AutoCloseable {
    static final int ERROR_BODY_BYTES = 512;

    /** A 200 answer: the headers pollers use and how many body bytes went to the sink. */
    public record Response(String logCursor, Boolean logMore, long bytes) {}

    private final Duration connectTimeout;
    private final int legacyPort;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("registry-poll-deadline").factory());
    private final Map<String, SSLSocketFactory> pinned = new ConcurrentHashMap<>();

    /** @param legacyPort the port of plain-HTTP polls to sensors without a management endpoint */
    public SensorClient(Duration connectTimeout, int legacyPort) {
        this.connectTimeout = connectTimeout;
        this.legacyPort = legacyPort;
    }

    /**
     * GETs {@code pathAndQuery} from the sensor with {@code Authorization: Token <key>}.
     *
     * @param sink receives the body of a 200 answer
     * @throws SensorCallException for anything but a complete 200 within the deadline and the byte limit
     */
    public Response get(
            RegisteredSensor sensor,
            String key,
            String pathAndQuery,
            Duration deadline,
            long maxBytes,
            OutputStream sink)
            throws SensorCallException {
        URI uri = uri(sensor, pathAndQuery, legacyPort);
        HttpURLConnection c;
        try {
            c = (HttpURLConnection) uri.toURL().openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw new SensorCallException("bad management address " + uri + ": " + e.getMessage(), e);
        }
        if (c instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(pinnedFactory(sensor.mgmtCertSha256()));
            https.setHostnameVerifier((host, session) -> true); // identity is the pinned certificate
        }
        int ms = (int) Math.max(1, deadline.toMillis());
        c.setConnectTimeout((int) Math.min(ms, connectTimeout.toMillis()));
        c.setReadTimeout(ms);
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setRequestProperty("Authorization", "Token " + key);
        c.setRequestProperty("Accept", "application/json, text/plain");
        c.setRequestProperty("User-Agent", "rustbucket-registry");
        // The flag is set before the disconnect: the reader sees "Socket closed" while the watchdog's task is
        // still running, so the future is not done yet and the elapsed time may be a hair short of the deadline.
        AtomicBoolean cut = new AtomicBoolean();
        long started = System.nanoTime();
        ScheduledFuture<?> timer = watchdog.schedule(
                () -> {
                    cut.set(true);
                    c.disconnect();
                },
                ms,
                TimeUnit.MILLISECONDS);
        try {
            int status = c.getResponseCode();
            if (status != 200) {
                throw new SensorCallException("answered " + status + errorSnippet(c));
            }
            long copied = copy(c.getInputStream(), sink, maxBytes);
            return new Response(c.getHeaderField("X-Log-Cursor"), more(c.getHeaderField("X-Log-More")), copied);
        } catch (SensorCallException e) {
            c.disconnect();
            throw e;
        } catch (IOException e) {
            c.disconnect();
            if (cut.get() || System.nanoTime() - started >= ms * 1_000_000L) {
                throw new SensorCallException("timed out after " + deadline.toSeconds() + " s", e);
            }
            throw new SensorCallException(describe(e), e);
        } finally {
            timer.cancel(false);
        }
    }

    static URI uri(RegisteredSensor sensor, String pathAndQuery, int legacyPort) {
        if (sensor.pinned()) {
            return URI.create(sensor.mgmtUrl().replaceAll("/+$", "") + pathAndQuery);
        }
        String ip = sensor.ipAddress();
        return URI.create("http://" + (ip.contains(":") ? "[" + ip + "]" : ip)
                + (legacyPort == 80 ? "" : ":" + legacyPort) + pathAndQuery);
    }

    private static Boolean more(String header) {
        return header == null ? null : Boolean.valueOf(header.strip().equalsIgnoreCase("true"));
    }

    private static long copy(InputStream in, OutputStream sink, long maxBytes) throws IOException, SensorCallException {
        try (in) {
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) >= 0; ) {
                total += n;
                if (total > maxBytes) {
                    throw new SensorCallException("answer larger than " + maxBytes + " bytes; refused");
                }
                sink.write(buf, 0, n);
            }
            return total;
        }
    }

    private static String errorSnippet(HttpURLConnection c) {
        try (InputStream err = c.getErrorStream()) {
            if (err == null) {
                return "";
            }
            String s = new String(err.readNBytes(ERROR_BODY_BYTES), java.nio.charset.StandardCharsets.UTF_8)
                    .replaceAll("[\\p{Cntrl}]", " ")
                    .strip();
            return s.isEmpty() ? "" : ": " + (s.length() > 120 ? s.substring(0, 120) + "..." : s);
        } catch (IOException e) {
            return "";
        }
    }

    private static String describe(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertificateException ce) {
                return ce.getMessage();
            }
        }
        if (e instanceof java.net.ConnectException) {
            return "connection refused";
        }
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private SSLSocketFactory pinnedFactory(String fingerprint) {
        return pinned.computeIfAbsent(fingerprint, fp -> {
            try {
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, new javax.net.ssl.TrustManager[] {new PinnedTrust(fp)}, null);
                return ctx.getSocketFactory();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("TLS unavailable", e);
            }
        });
    }

    /** Trusts one certificate, named by the SHA-256 of its DER encoding; checks no host name (see class doc). */
    static final class PinnedTrust extends X509ExtendedTrustManager {
        private final String fingerprint;

        PinnedTrust(String fingerprint) {
            this.fingerprint = fingerprint;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (chain == null || chain.length == 0) {
                throw new CertificateException("sensor presented no certificate");
            }
            String actual;
            try {
                actual = HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(chain[0].getEncoded()));
            } catch (GeneralSecurityException e) {
                throw new CertificateException(e);
            }
            if (!MessageDigest.isEqual(actual.getBytes(), fingerprint.getBytes())) {
                throw new CertificateException("certificate " + actual.substring(0, 16)
                        + "... does not match the registered " + fingerprint.substring(0, 16) + "...");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
