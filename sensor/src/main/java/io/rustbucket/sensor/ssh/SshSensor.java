package io.rustbucket.sensor.ssh;

import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.listen.ConnectionGate;
import io.rustbucket.sensor.record.EventAction;
import io.rustbucket.sensor.record.EventIds;
import io.rustbucket.sensor.record.Quarantine;
import io.rustbucket.sensor.record.SensorEvent;
import io.rustbucket.sensor.record.SessionEvents;
import io.rustbucket.sensor.shell.FakeHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.scp.server.ScpCommandFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSH listener (Apache MINA SSHD, decision 9): a real SSH-2 key exchange under OpenSSH's identification, a host
 * key generated once and kept, password and public-key attempts recorded (public keys are always refused, as for
 * an unknown key; passwords follow the login policy), shell and exec answered by the shared shell, and SFTP/SCP
 * uploads captured to the quarantine. The connection gate, idle timeout, pre-auth timeout and session cap apply as
 * on the other listeners.
 */
public final class SshSensor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SshSensor.class);
    static final AttributeKey<SshEvents> EVENTS = new AttributeKey<>();

    private final SshServer server;
    private final String sensor;
    private final Clock clock;
    private final Consumer<SensorEvent> recorder;
    private final ConnectionGate gate;
    private final SensorLimits limits;
    private final ScheduledExecutorService deadlines;
    private final Set<Session> open = ConcurrentHashMap.newKeySet();

    /**
     * @param version the full identification, e.g. {@code SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10}
     * @param dataDir holds {@code ssh_host_key} (generated on first start) and the upload staging area
     */
    public SshSensor(
            InetAddress bind,
            int port,
            String version,
            FakeHost host,
            ConnectionGate gate,
            SensorLimits limits,
            Quarantine quarantine,
            Path dataDir,
            String sensor,
            Clock clock,
            Consumer<SensorEvent> recorder,
            ScheduledExecutorService deadlines)
            throws IOException {
        this.sensor = sensor;
        this.clock = clock;
        this.recorder = recorder;
        this.gate = gate;
        this.limits = limits;
        this.deadlines = deadlines;
        Files.createDirectories(dataDir);
        server = SshServer.setUpDefaultServer();
        server.setHost(bind.getHostAddress());
        server.setPort(port);
        String ident = version.startsWith("SSH-2.0-") ? version.substring("SSH-2.0-".length()) : version;
        CoreModuleProperties.SERVER_IDENTIFICATION.set(server, ident);
        CoreModuleProperties.IDLE_TIMEOUT.set(server, limits.idleTimeout());
        CoreModuleProperties.AUTH_TIMEOUT.set(server, limits.preAuthTimeout());
        CoreModuleProperties.MAX_AUTH_REQUESTS.set(server, 6); // OpenSSH's MaxAuthTries
        SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(dataDir.resolve("ssh_host_key"));
        keys.setAlgorithm(KeyUtils.EC_ALGORITHM);
        keys.setKeySize(256);
        server.setKeyPairProvider(keys);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setPasswordAuthenticator((user, password, session) -> {
            SshEvents e = session.getAttribute(EVENTS);
            return e == null
                    ? host.login().accepts(user, password, 1) // a refused session, closing: nothing to record it on
                    : host.login(e, "ssh password", user, password, ++e.attempts);
        });
        server.setPublickeyAuthenticator((user, key, session) -> {
            SshEvents e = session.getAttribute(EVENTS);
            if (e != null) {
                e.record(e.event(EventAction.LOGIN_ATTEMPT)
                        .user(user, null)
                        .keyFingerprint(fingerprint(key))
                        .outcome(false)
                        .message("ssh public key offered for " + user + ": " + fingerprint(key))
                        .build());
            }
            return false;
        });
        SshShell shells = new SshShell(host, limits);
        server.setShellFactory(shells::shell);
        server.setCommandFactory(new ScpCommandFactory.Builder()
                .withDelegate(shells::exec)
                .addEventListener(new Uploads.Scp(quarantine))
                .build());
        SftpSubsystemFactory sftp = new SftpSubsystemFactory.Builder().build();
        sftp.addSftpEventListener(new Uploads.Sftp(quarantine));
        server.setSubsystemFactories(List.of(sftp));
        Path staging = dataDir.resolve("upload-staging");
        server.setFileSystemFactory(new VirtualFileSystemFactory(staging) {
            @Override
            public Path getUserHomeDir(SessionContext session) throws IOException {
                // each session writes into its own empty folder; what it uploads is moved to quarantine
                SshEvents e = session.getAttribute(EVENTS);
                Path dir = staging.resolve(e == null ? "unknown" : e.sessionId);
                Files.createDirectories(dir);
                return dir;
            }
        });
        server.addSessionListener(new Gatekeeper());
        server.start();
    }

    public int port() {
        return server.getPort();
    }

    public int openConnections() {
        return open.size();
    }

    static String fingerprint(PublicKey key) {
        return KeyUtils.getFingerPrint(key);
    }

    /** Admits sessions through the gate, records open and close, and enforces the session cap. */
    private final class Gatekeeper implements SessionListener {
        @Override
        public void sessionCreated(Session session) {
            InetSocketAddress remote = (InetSocketAddress) session.getRemoteAddress();
            InetSocketAddress local = (InetSocketAddress) session.getLocalAddress();
            SshEvents e = new SshEvents(sensor, remote, local.getPort(), clock, recorder);
            ConnectionGate.Admission a = gate.admit(remote.getAddress());
            if (a instanceof ConnectionGate.Refused refused) {
                e.record(e.event(EventAction.LIMIT_EXCEEDED)
                        .level("WARN")
                        .message(refused.describe())
                        .build());
                session.close(true);
                return;
            }
            e.permit = ((ConnectionGate.Admitted) a).permit();
            e.started = System.nanoTime();
            session.setAttribute(EVENTS, e);
            open.add(session);
            e.cap = deadlines.schedule(
                    () -> {
                        e.record(e.event(EventAction.LIMIT_EXCEEDED)
                                .level("WARN")
                                .message("session cap " + limits.sessionCapSecs() + " s reached")
                                .build());
                        session.close(true);
                    },
                    limits.sessionCap().toMillis(),
                    TimeUnit.MILLISECONDS);
            e.record(e.event(EventAction.CONNECTION_OPEN)
                    .message("connection from " + e.sourceIp)
                    .build());
        }

        @Override
        public void sessionPeerIdentificationReceived(Session session, String version, List<String> extraLines) {
            SshEvents e = session.getAttribute(EVENTS);
            if (e != null) {
                e.record(e.event(EventAction.BANNER)
                        .input(version)
                        .response(session.getServerVersion(), "emulator", 0)
                        .userAgent(version)
                        .build());
            }
        }

        /** Why a session failed, for its close event (MINA's own warning per session is silenced in logback.xml). */
        @Override
        public void sessionException(Session session, Throwable t) {
            SshEvents e = session.getAttribute(EVENTS);
            if (e != null && e.ending == null) {
                e.ending = ending(t);
            }
        }

        private static String ending(Throwable t) {
            if (t instanceof org.apache.sshd.common.SshException) {
                return "protocol error"; // an IOException too, but the client broke the protocol
            }
            if (t instanceof java.io.IOException) {
                return "connection reset or closed";
            }
            return "session error (" + t.getClass().getSimpleName() + ")";
        }

        @Override
        public void sessionClosed(Session session) {
            SshEvents e = session.getAttribute(EVENTS);
            if (e == null || !open.remove(session)) {
                return;
            }
            if (e.cap != null) {
                e.cap.cancel(false);
            }
            e.permit.close();
            e.record(e.event(EventAction.CONNECTION_CLOSE)
                    .message((e.ending == null ? "closed" : e.ending) + " after "
                            + (System.nanoTime() - e.started) / 1_000_000 + " ms")
                    .build());
        }
    }

    /** The events of one SSH session. */
    static final class SshEvents implements SessionEvents {
        final String sessionId = EventIds.next();
        final String sourceIp;
        private final String sensor;
        private final int sourcePort;
        private final int localPort;
        private final Clock clock;
        private final Consumer<SensorEvent> recorder;
        ConnectionGate.Permit permit;
        ScheduledFuture<?> cap;
        long started;
        volatile String ending;
        int attempts;

        SshEvents(String sensor, InetSocketAddress remote, int localPort, Clock clock, Consumer<SensorEvent> recorder) {
            this.sensor = sensor;
            this.sourceIp = remote.getAddress().getHostAddress();
            this.sourcePort = remote.getPort();
            this.localPort = localPort;
            this.clock = clock;
            this.recorder = recorder;
        }

        @Override
        public SensorEvent.Builder event(EventAction action) {
            return SensorEvent.builder(action, clock.instant(), EventIds.next())
                    .sensor(sensor)
                    .session(sessionId, "ssh")
                    .source(sourceIp, sourcePort)
                    .destinationPort(localPort);
        }

        @Override
        public void record(SensorEvent event) {
            recorder.accept(event);
        }
    }

    @Override
    public void close() {
        try {
            server.stop(true);
        } catch (IOException e) {
            log.warn("stopping the SSH listener failed: {}", e.getMessage());
        }
    }
}
