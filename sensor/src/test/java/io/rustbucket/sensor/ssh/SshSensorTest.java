package io.rustbucket.sensor.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.listen.ConnectionGate;
import io.rustbucket.sensor.listen.Listener;
import io.rustbucket.sensor.record.Quarantine;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelShell;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH listener driven by MINA's own SSH client: key exchange, logins, exec, shell, SFTP, stalls. */
class SshSensorTest {
    static final String VERSION = "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10";
    final List<SensorEvent> events = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService deadlines = Listener.deadlineScheduler();
    final FakeMachine machine = FakeMachine.forSensor("sensor-s", null, Clock.systemUTC());

    @TempDir
    Path dir;

    SshSensor sensor;
    SshClient client;

    SshSensor start(Path data) throws Exception {
        SensorLimits limits = new SensorLimits(null, null, null, 2, null, null, null, null, 50_000L);
        FakeHost host = new FakeHost(
                machine,
                new LoginPolicy("list", List.of("root:toor"), null),
                new Responder(null, List.of(), "", ResponderConfig.defaults(), Clock.systemUTC()));
        return new SshSensor(
                InetAddress.getLoopbackAddress(),
                0,
                VERSION,
                host,
                new ConnectionGate(100, 10),
                limits,
                new Quarantine(data.resolve("quarantine"), limits.uploadMaxBytes()),
                data,
                "sensor-s",
                Clock.systemUTC(),
                events::add,
                deadlines);
    }

    @BeforeEach
    void setUp() throws Exception {
        sensor = start(dir);
        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
        client.start();
    }

    @AfterEach
    void tearDown() {
        client.stop();
        sensor.close();
        deadlines.shutdownNow();
    }

    List<Map<String, Object>> recorded(String action) {
        return RecordedEvents.withAction(events, action);
    }

    ClientSession login() throws Exception {
        ClientSession s = client.connect("root", "127.0.0.1", sensor.port())
                .verify(5, TimeUnit.SECONDS)
                .getSession();
        s.addPasswordIdentity("toor");
        s.auth().verify(5, TimeUnit.SECONDS);
        return s;
    }

    @Test
    void announcesOpenSshAndKeepsItsHostKey() throws Exception {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), sensor.port())) {
            raw.setSoTimeout(5000);
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = raw.getInputStream().read()) != '\n') {
                line.append((char) b);
            }
            assertThat(line.toString().strip()).isEqualTo(VERSION);
        }
        AtomicReference<PublicKey> first = new AtomicReference<>();
        client.setServerKeyVerifier((session, remote, key) -> first.compareAndSet(null, key) || true);
        login().close();
        sensor.close();
        sensor = start(dir);
        AtomicReference<PublicKey> second = new AtomicReference<>();
        client.setServerKeyVerifier((session, remote, key) -> second.compareAndSet(null, key) || true);
        login().close();
        assertThat(second.get()).isEqualTo(first.get());
        assertThat(Files.exists(dir.resolve("ssh_host_key"))).isTrue();
    }

    @Test
    void aResetAfterTheBannerIsRecordedAsTheSessionsEnding() throws Exception {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), sensor.port())) {
            raw.setSoTimeout(5000);
            while (raw.getInputStream().read() != '\n') {
                // the identification line
            }
            raw.setSoLinger(true, 0); // close with RST, as scanners do
        }
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !recorded("connection.close").isEmpty());
        assertThat(recorded("connection.close").getFirst().get("message").toString())
                .startsWith("connection reset or closed after ");
    }

    @Test
    void passwordAndPublicKeyAttemptsAreRecordedThenExecRuns() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        KeyPair key = gen.generateKeyPair();
        try (ClientSession s = client.connect("root", "127.0.0.1", sensor.port())
                .verify(5, TimeUnit.SECONDS)
                .getSession()) {
            s.addPublicKeyIdentity(key);
            s.addPasswordIdentity("123456");
            s.addPasswordIdentity("toor");
            s.auth().verify(5, TimeUnit.SECONDS);
            String out = s.executeRemoteCommand("uname -n; id");
            assertThat(out).isEqualTo(machine.hostname() + "\nuid=0(root) gid=0(root) groups=0(root)\n");
        }
        await().until(() -> !recorded("connection.close").isEmpty());
        List<Map<String, Object>> logins = recorded("login.attempt");
        assertThat(logins.get(0)).containsEntry("event.outcome", "failure").containsKey("honeypot.key_fingerprint");
        assertThat((String) logins.get(0).get("honeypot.key_fingerprint")).startsWith("SHA256:");
        assertThat(logins.subList(1, 3))
                .extracting(e -> e.get("honeypot.password"))
                .containsExactly("123456", "toor");
        assertThat(recorded("banner").get(0).get("user_agent.original").toString())
                .startsWith("SSH-2.0-");
        assertThat(recorded("command")).extracting(e -> e.get("honeypot.input")).containsExactly("uname -n; id");
    }

    @Test
    void interactiveShellWithPty() throws Exception {
        try (ClientSession s = login();
                ChannelShell shell = s.createShellChannel()) {
            shell.setUsePty(true);
            ByteArrayOutputStream screen = new ByteArrayOutputStream();
            shell.setOut(screen);
            shell.setErr(screen);
            shell.open().verify(5, TimeUnit.SECONDS);
            OutputStream keys = shell.getInvertedIn();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> screen.toString(StandardCharsets.UTF_8).endsWith(":~# "));
            keys.write("cd /tmp; pwd\r".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> screen.toString(StandardCharsets.UTF_8).endsWith(":/tmp# "));
            keys.write("exit\r".getBytes(StandardCharsets.UTF_8));
            keys.flush();
            shell.waitFor(List.of(ClientChannelEvent.CLOSED), TimeUnit.SECONDS.toMillis(5));
            String text = screen.toString(StandardCharsets.UTF_8);
            assertThat(text)
                    .contains("Welcome to Ubuntu 22.04.3 LTS")
                    .contains("cd /tmp; pwd\r\n/tmp\r\n")
                    .contains("logout");
        }
    }

    @Test
    void sftpUploadsGoToQuarantine() throws Exception {
        byte[] payload = "\u007fELF fake bot binary".getBytes(StandardCharsets.UTF_8);
        try (ClientSession s = login();
                SftpClient sftp = SftpClientFactory.instance().createSftpClient(s)) {
            try (OutputStream out = sftp.write("bot.x86")) {
                out.write(payload);
            }
            try (OutputStream out = sftp.write("huge.bin")) {
                out.write(new byte[40_000]);
                out.write(new byte[40_000]);
            } catch (java.io.IOException expected) {
                // refused past the 50 KB cap
            }
        }
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        await().until(() -> Files.exists(dir.resolve("quarantine").resolve(sha)));
        assertThat(dir.resolve("quarantine").resolve(sha)).hasBinaryContent(payload);
        await().until(() -> !recorded("file.upload").isEmpty());
        assertThat(recorded("file.upload").get(0)).containsEntry("file.hash.sha256", sha);
    }

    @Test
    void aClientThatStallsMidHandshakeIsDropped() throws Exception {
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), sensor.port())) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write("SSH-2.0-stall\r\n".getBytes(StandardCharsets.US_ASCII));
            raw.getOutputStream().flush();
            InputStream in = raw.getInputStream();
            long t0 = System.nanoTime();
            try {
                while (in.read() >= 0) {}
            } catch (java.net.SocketException reset) {
                // closed by the sensor
            }
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
        }
        // and random bytes instead of an identification end that session only
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), sensor.port())) {
            raw.setSoTimeout(10_000);
            byte[] junk = new byte[5000];
            new java.util.Random(1).nextBytes(junk);
            try {
                raw.getOutputStream().write(junk);
                while (raw.getInputStream().read() >= 0) {}
            } catch (java.net.SocketException reset) {
                // closed by the sensor
            }
        }
        login().close();
    }
}
