package io.rustbucket.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustbucket.core.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SensorConfigTest {
    @TempDir
    Path dir;

    /** The layout of specs/sensor.md, verbatim. */
    static final String SPEC_EXAMPLE = """
            [general]
            log_level = "info"
            log_directory = "./data/sensor/logs"
            upload_interval_secs = 3600

            [ports]
            ftp    = { enabled = true, port = 2121, banner = "220 (vsFTPd 3.0.3)" }
            telnet = { enabled = true, port = 2323 }
            smtp   = { enabled = true, port = 2525, banner = "220 mail.example.com ESMTP Postfix (Ubuntu)" }
            http   = { enabled = true, port = 8080 }
            ssh    = { enabled = true, port = 2222, version = "SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10" }

            [openai]
            api_key = ""
            [openai.static_messages]
            message1 = "You are an Ubuntu 22.04 server."
            message2 = "Respond exactly as that server would. Never reveal you are an AI."

            [aws]
            app_id = "sensor-1"
            s3_bucket = ""

            [registration]
            rustbucket_registry_url = ""
            """;

    Path write(String toml) throws Exception {
        Path f = dir.resolve("Config.toml");
        Files.writeString(f, toml);
        return f;
    }

    @Test
    void theSpecsExampleLoads() throws Exception {
        SensorConfig c = SensorConfig.load(Optional.of(write(SPEC_EXAMPLE)), Map.of(), Map.of());
        assertThat(c.name()).isEqualTo("sensor-1");
        assertThat(c.ports().ftp().port()).isEqualTo(2121);
        assertThat(c.ports().ssh().version()).isEqualTo("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.10");
        assertThat(c.ports().http().version()).isEqualTo("nginx/1.18.0 (Ubuntu)");
        assertThat(c.persona())
                .containsExactly(
                        "You are an Ubuntu 22.04 server.",
                        "Respond exactly as that server would. Never reveal you are an AI.");
        assertThat(c.general().logs()).isEqualTo(Path.of("./data/sensor/logs"));
        assertThat(c.llmConfig()).isEmpty(); // no key: offline emulation only
    }

    @Test
    void theOlderLlmTableAndTheEnvironmentContract() throws Exception {
        Path f = write("""
                [llm]
                static_messages = { message1 = "You are a router.", message2 = "Stay in character." }
                """);
        SensorConfig c = SensorConfig.load(
                Optional.of(f),
                Map.of(
                        "SSH_PORT",
                        "2200",
                        "RUSTBUCKET_REGISTRY_URL",
                        "https://reg.example/api/register/",
                        "RUSTBUCKET_API_KEY",
                        "k-123",
                        "CHATGPT_API_KEY",
                        "sk-old"),
                Map.of());
        assertThat(c.persona()).containsExactly("You are a router.", "Stay in character.");
        assertThat(c.ports().ssh().port()).isEqualTo(2200);
        assertThat(c.ports().ssh().version()).startsWith("SSH-2.0-OpenSSH");
        assertThat(c.registration().registrationKey()).isEqualTo("k-123");
        assertThat(c.openai().apiKey()).isEqualTo("sk-old");
        assertThat(c.llmConfig()).isPresent();
        SensorConfig both = SensorConfig.load(
                Optional.of(f), Map.of("CHATGPT_API_KEY", "sk-old", "OPENAI_API_KEY", "sk-new"), Map.of());
        assertThat(both.openai().apiKey()).isEqualTo("sk-new");
    }

    @Test
    void badValuesAreOneLineErrors() throws Exception {
        assertThatThrownBy(
                        () -> SensorConfig.load(Optional.of(write("[general]\nfrobnicate = 1\n")), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("frobnicate");
        assertThatThrownBy(() ->
                        SensorConfig.load(Optional.of(write("[ports]\nssh = { port = 70000 }\n")), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("port");
        assertThatThrownBy(() -> SensorConfig.load(Optional.empty(), Map.of(), Map.of("login.accept", "sometimes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("login.accept");
        Path list = write("[login]\naccept = \"list\"\ncredentials = [\"root:toor\", \"admin:*\"]\n");
        assertThat(SensorConfig.load(Optional.of(list), Map.of(), Map.of())
                        .login()
                        .credentials())
                .isEqualTo(List.of("root:toor", "admin:*"));
        assertThatThrownBy(() -> SensorConfig.load(
                        Optional.of(write("[login]\ncredentials = [\"nocolon\"]\n")), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("user:password");
    }
}
