package io.rustbucket.sensor.manage;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The management HTTPS port: {@link ManagementApi} behind TLS with a self-signed certificate generated on first
 * start and kept ({@code management.p12}); its SHA-256 fingerprint is what the sensor sends at registration so
 * the registry can pin it. Every other path is a 404.
 */
public final class ManagementServer implements AutoCloseable {
    private final HttpsServer server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final String fingerprint;

    public ManagementServer(String bind, int port, Path dataDir, ManagementApi api) throws IOException {
        // the JDK server's own request/response deadlines (seconds); set once, before its first use
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime", "30"));
        System.setProperty("sun.net.httpserver.maxRspTime", System.getProperty("sun.net.httpserver.maxRspTime", "120"));
        Credentials creds = Credentials.loadOrCreate(dataDir);
        this.fingerprint = creds.fingerprint;
        server = HttpsServer.create(new InetSocketAddress(bind, port), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(creds.context));
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            try (exchange) {
                try (InputStream in = exchange.getRequestBody()) {
                    in.readNBytes(64 * 1024); // management requests have no body worth reading
                }
                Optional<ManagementApi.Reply> r = api.answer(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getRawPath()
                                + (exchange.getRequestURI().getRawQuery() == null
                                        ? ""
                                        : "?" + exchange.getRequestURI().getRawQuery()),
                        exchange.getRequestHeaders().getFirst("Authorization"));
                int status = r.map(ManagementApi.Reply::status)
                        .orElse(
                                ManagementApi.isManagementPath(
                                                exchange.getRequestURI().getPath())
                                        ? 401
                                        : 404);
                byte[] body = r.map(ManagementApi.Reply::body)
                        .orElse(("{\"error\":\"" + (status == 401 ? "Invalid or missing key" : "Not found") + "\"}")
                                .getBytes());
                exchange.getResponseHeaders()
                        .set(
                                "Content-Type",
                                r.map(ManagementApi.Reply::contentType).orElse("application/json"));
                r.ifPresent(x -> x.headers()
                        .forEach((k, v) -> exchange.getResponseHeaders().set(k, v)));
                exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Lower-case hex SHA-256 of the certificate (DER), as sent in {@code mgmt_cert_sha256}. */
    public String fingerprint() {
        return fingerprint;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /** The TLS identity: a PKCS#12 file and its random password file, both 0600. */
    record Credentials(SSLContext context, String fingerprint) {
        static Credentials loadOrCreate(Path dir) throws IOException {
            Path store = dir.resolve("management.p12");
            Path pass = dir.resolve("management.p12.password");
            try {
                Files.createDirectories(dir);
                KeyStore ks = KeyStore.getInstance("PKCS12");
                char[] password;
                if (Files.exists(store) && Files.exists(pass)) {
                    password = Files.readString(pass).strip().toCharArray();
                    try (InputStream in = Files.newInputStream(store)) {
                        ks.load(in, password);
                    }
                } else {
                    byte[] raw = new byte[24];
                    new SecureRandom().nextBytes(raw);
                    password = HexFormat.of().formatHex(raw).toCharArray();
                    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
                    gen.initialize(256);
                    KeyPair kp = gen.generateKeyPair();
                    X509Certificate cert = selfSigned(kp);
                    ks.load(null, null);
                    ks.setKeyEntry("management", kp.getPrivate(), password, new X509Certificate[] {cert});
                    Path tmp = dir.resolve("management.p12.tmp");
                    try (OutputStream out = Files.newOutputStream(tmp)) {
                        ks.store(out, password);
                    }
                    Files.writeString(pass, new String(password));
                    Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                    Files.move(tmp, store, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                }
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, password);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(kmf.getKeyManagers(), null, null);
                X509Certificate cert = (X509Certificate) ks.getCertificate("management");
                String fp = HexFormat.of()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
                return new Credentials(ctx, fp);
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException("management TLS identity: " + e.getMessage(), e);
            }
        }

        static X509Certificate selfSigned(KeyPair kp) throws Exception {
            X500Name name = new X500Name("CN=rustbucket-sensor");
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    name,
                    new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))),
                    name,
                    kp.getPublic());
            return new JcaX509CertificateConverter()
                    .getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
        }
    }
}
