package io.rustbucket.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each start-up failure is one line on stderr and a non-zero exit, never a stack trace. */
class StartupFailureTest {
    @TempDir
    Path dir;

    record Run(int code, String err) {}

    private Run run(String... args) {
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Run(Main.run(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(old);
        }
    }

    private static void assertOneLine(Run r, String expected) {
        assertThat(r.code()).isNotZero();
        String line = r.err()
                .lines()
                .filter(l -> l.startsWith("rustbucket: "))
                .findFirst()
                .orElse(r.err());
        assertThat(line).contains(expected);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception in thread");
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run r = run("up", "--data", dir.toString(), "--port", Integer.toString(taken.getLocalPort()));
            assertOneLine(r, "127.0.0.1:" + taken.getLocalPort() + " is already in use");
        }
    }

    @Test
    void unwritableDataDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertOneLine(run("up", "--data", file.resolve("sub").toString()), "is not writable");
    }

    @Test
    void databaseDownAtStart() {
        Run r = run(
                "up",
                "--data",
                dir.toString(),
                "--port",
                "0",
                "--set",
                "database.url=jdbc:postgresql://127.0.0.1:1/x",
                "--set",
                "database.connect_timeout_secs=1");
        assertOneLine(r, "cannot connect to database jdbc:postgresql://127.0.0.1:1/x");
    }

    @Test
    void unknownConfigurationKey() throws Exception {
        Path toml = Files.writeString(dir.resolve("rb.toml"), "[store]\nknd = \"s3\"\n");
        assertOneLine(run("up", "--config", toml.toString()), "unknown key 'store.knd'");
    }

    @Test
    void unreadableConfigurationFile() {
        assertOneLine(run("up", "--config", dir.resolve("missing.toml").toString()), "no such file");
    }

    @Test
    void unknownDefaultModel() {
        assertOneLine(run("up", "--data", dir.toString(), "--set", "llm.default_model=gpt-9"), "llm.default_model");
    }

    @Test
    void helpListsCommands() {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("--help")).isZero();
        } finally {
            System.setOut(old);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("up").contains("Run every system");
    }
}
