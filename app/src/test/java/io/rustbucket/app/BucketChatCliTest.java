package io.rustbucket.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./rustbucket bucketchat} as a user runs it: real command lines, a real folder bucket. */
class BucketChatCliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    private Run run(String... args) {
        List<String> all = new ArrayList<>(List.of("bucketchat", "--data", dir.toString()));
        all.addAll(List.of(args));
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.run(all.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private String ok(String... args) {
        Run r = run(args);
        assertThat(r.code()).as("%s: %s", String.join(" ", args), r.err()).isZero();
        return r.out().strip();
    }

    private void room() {
        ok("--user", "user:alice", "keys", "generate");
        ok("--user", "bob@example.com", "keys", "generate");
        ok("--user", "user:alice", "room", "create", "ops", "--name", "Ops");
    }

    @Test
    void keysArePrivateAndExportable() throws Exception {
        String pub = ok("--user", "user:alice", "keys", "generate");
        assertThat(pub).hasSize(44);
        try (Stream<Path> files = Files.list(dir.resolve("bucketchat/keys"))) {
            Path key = files.findFirst().orElseThrow();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                    .isEqualTo("rw-------");
        }
        JsonNode export = Json.mapper().readTree(ok("--user", "user:alice", "keys", "export"));
        assertThat(export.path("public_keys").path("user:alice").asText()).isEqualTo(pub);
        assertThat(run("--user", "user:alice", "keys", "generate").code()).isEqualTo(2);
    }

    @Test
    void conversationVerifiesCleanAsJson() throws Exception {
        room();
        String hello = ok("--user", "user:alice", "send", "ops", "hello team");
        ok("--user", "bob@example.com", "join", "ops");
        ok("--user", "bob@example.com", "send", "ops", "on it", "--reply-to", hello);
        ok("--user", "bob@example.com", "react", "ops", hello, "👍");
        String typo = ok("--user", "user:alice", "send", "ops", "tpyo");
        ok("--user", "user:alice", "edit", "ops", typo, "typo");
        ok("--user", "user:alice", "invite", "ops", "user:carol");

        Run verify = run("verify", "ops", "--json");
        assertThat(verify.code()).isZero();
        JsonNode v = Json.mapper().readTree(verify.out());
        assertThat(v.path("room").asText()).isEqualTo("ops");
        assertThat(v.path("events").asInt()).isEqualTo(8);
        assertThat(v.path("signatures").path("valid").asInt()).isEqualTo(8);
        assertThat(v.path("signatures").path("invalid")).isEmpty();
        assertThat(v.path("chains").path("user:alice").path("status").asText()).isEqualTo("INTACT");
        assertThat(v.path("state").path("members").path("user:carol").asText()).isEqualTo("invite");
        assertThat(v.path("state").path("visible_messages").asInt()).isEqualTo(3);

        String history = ok("--user", "user:alice", "history", "ops", "--limit", "2");
        assertThat(history.lines()).hasSize(2);
        assertThat(history)
                .contains("on it")
                .contains("typo (edited)")
                .contains("[verified]")
                .doesNotContain("hello team");
    }

    @Test
    void tamperedRoomExitsOneAndNamesTheProblem() throws Exception {
        room();
        ok("--user", "user:alice", "send", "ops", "pay 10 EUR");
        ok("--user", "user:alice", "send", "ops", "thanks");
        Path file;
        try (Stream<Path> files = Files.walk(dir.resolve("store/rooms/ops/logs"))) {
            file = files.filter(Files::isRegularFile)
                    .filter(p -> read(p).contains("pay 10 EUR"))
                    .findFirst()
                    .orElseThrow();
        }
        String body = Files.readString(file);
        Files.delete(file);
        Files.writeString(file, body.replace("pay 10 EUR", "pay 99 EUR"));
        Run verify = run("verify", "ops", "--json");
        assertThat(verify.code()).isEqualTo(1);
        JsonNode v = Json.mapper().readTree(verify.out());
        assertThat(v.path("signatures").path("invalid")).hasSize(1);
        assertThat(v.path("chains").path("user:alice").path("status").asText()).isEqualTo("BROKEN_LINK");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void keyFileVerifiesSendersTheRoomDoesNotList() throws Exception {
        room();
        // Bob writes without joining: his key is not in the room metadata, so he is unverified...
        ok("--user", "bob@example.com", "send", "ops", "unlisted");
        assertThat(run("verify", "ops").code()).isEqualTo(1);
        // ...until a key file vouches for him.
        Path keys = dir.resolve("bob-keys.json");
        Files.writeString(keys, ok("--user", "bob@example.com", "keys", "export"));
        assertThat(run("verify", "ops", "--keys", keys.toString()).code()).isZero();
    }

    @Test
    void attackerTextCannotDriveTheTerminal() {
        room();
        ok("--user", "user:alice", "send", "ops", "evil \u001b[2J\u001b[31mred\r\u202eflipped");
        String history = ok("--user", "user:alice", "history", "ops");
        assertThat(history)
                .doesNotContain("\u001b")
                .doesNotContain("\r")
                .doesNotContain("\u202e")
                .contains("\\u001b[2J");
    }

    @Test
    void interactiveChatSendsEachLineAndLeavesOnQuit() throws Exception {
        room();
        java.io.InputStream oldIn = System.in;
        System.setIn(new java.io.ByteArrayInputStream(
                "first line\n\nsecond line\n/quit\nnot sent\n".getBytes(StandardCharsets.UTF_8)));
        try {
            String out = ok("--user", "user:alice", "chat", "ops");
            assertThat(out).contains("in ops as user:alice");
        } finally {
            System.setIn(oldIn);
        }
        String history = ok("--user", "user:alice", "history", "ops");
        assertThat(history).contains("first line").contains("second line").doesNotContain("not sent");
        assertThat(run("verify", "ops").code()).isZero();
    }

    @Test
    void usageErrorsExitTwo() {
        assertThat(run("verify").code()).isEqualTo(2);
        assertThat(run("verify", "no-such-room").code()).isEqualTo(2);
        assertThat(run("send", "ops", "x").code()).isEqualTo(2);
        assertThat(run("--user", "user:nokey", "send", "ops", "x").code()).isEqualTo(2);
    }
}
