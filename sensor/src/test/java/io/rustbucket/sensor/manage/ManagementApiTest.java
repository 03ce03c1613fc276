package io.rustbucket.sensor.manage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.json.Json;
import io.rustbucket.sensor.record.LogCollector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManagementApiTest {
    @TempDir
    Path dir;

    ManagementApi api(int maxBytes) {
        return new ManagementApi("s1", () -> "secret-key", new LogReader(dir), maxBytes, () -> 7, dir.toFile());
    }

    @Test
    void onlyAValidKeyOpensTheApi() {
        ManagementApi api = api(1024);
        assertThat(api.answer("GET", "/update_bucket", null)).isEmpty();
        assertThat(api.answer("GET", "/update_bucket", "Token wrong-key")).isEmpty();
        assertThat(api.answer("GET", "/update_bucket", "Basic c2VjcmV0LWtleQ=="))
                .isEmpty();
        assertThat(api.answer("GET", "/other", "Token secret-key")).isEmpty();
        assertThat(api.answer("GET", "/update_bucket", "Token secret-key")).isPresent();
        assertThat(api.answer("GET", "/update_bucket", "bearer secret-key")).isPresent();
        assertThat(api.answer("POST", "/update_bucket", "Token secret-key")
                        .orElseThrow()
                        .status())
                .isEqualTo(405);
    }

    @Test
    void updateBucketSatisfiesBothRegistryGenerations() throws Exception {
        ManagementApi.Reply r =
                api(1024).answer("GET", "/update_bucket", "Token secret-key").orElseThrow();
        JsonNode j = Json.mapper().readTree(r.body());
        assertThat(j.path("status").asText()).isEqualTo("ok");
        for (String f : List.of(
                "name", "operating_system", "cpu_usage", "memory_usage", "disk_space", "uptime", "connections")) {
            assertThat(j.path(f).asText()).as(f).isNotEmpty();
            assertThat(j.path("updates").get(0).path(f).asText())
                    .as(f)
                    .isEqualTo(j.path(f).asText());
        }
        assertThat(j.path("connections").asText()).isEqualTo("7");
        assertThat(j.path("cpu_usage").asText()).endsWith("%").hasSizeLessThanOrEqualTo(10);
        assertThat(j.path("disk_space").asText()).hasSizeLessThanOrEqualTo(20);
        assertThat(j.path("updates").get(0).path("ip_address").asText()).isNotEmpty();
    }

    @Test
    void extractLogsPagesWithACursorOverDaysAndSkipsTornLines() throws Exception {
        Files.writeString(LogCollector.fileFor(dir, LocalDate.parse("2026-11-21")), "{\"n\":1}\n{\"n\":2}\n");
        Files.writeString(LogCollector.fileFor(dir, LocalDate.parse("2026-11-22")), "{\"n\":3}\n{\"n\":4}\n{\"torn");
        ManagementApi api = api(17); // two 8-byte lines per page
        List<String> all = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            String target = "/extract_logs" + (cursor == null ? "" : "?since=" + cursor);
            ManagementApi.Reply r =
                    api.answer("GET", target, "Token secret-key").orElseThrow();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.contentType()).isEqualTo("text/plain; charset=utf-8");
            new String(r.body(), StandardCharsets.UTF_8).lines().forEach(all::add);
            cursor = r.headers().get("X-Log-Cursor");
            if (r.headers().get("X-Log-More").equals("false")) {
                break;
            }
        }
        assertThat(all).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}");
        // nothing new: an empty page, same cursor, no more
        ManagementApi.Reply again = api.answer("GET", "/extract_logs?since=" + cursor, "Token secret-key")
                .orElseThrow();
        assertThat(again.body()).isEmpty();
        assertThat(again.headers()).containsEntry("X-Log-More", "false").containsEntry("X-Log-Cursor", cursor);
        assertThat(api.answer("GET", "/extract_logs?since=garbage", "Token secret-key")
                        .orElseThrow()
                        .status())
                .isEqualTo(400);
    }
}
