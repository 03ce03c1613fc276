package io.rustbucket.sensor.manage;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the sensor with its registry (specs/registry-protocol.md): the key is sent as both
 * {@code registration_key} and the older {@code token}, with the sensor's metrics, bucket and management
 * endpoint. Runs in the background: start-up never waits for the registry. Failures are retried with exponential
 * backoff (2 s doubling to 10 min); a 400 (our request is wrong) is reported and not retried. The id and key are
 * kept in {@code registration.json} (0600), so a restart re-registers idempotently with the same key.
 */
public final class RegistryClient implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RegistryClient.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(2);
    static final Duration MAX_RETRY = Duration.ofMinutes(10);

    /** What registration established. */
    public record Registered(String id, String bucket, String region, String prefix) {}

    private final URI url;
    private final String key;
    private final Path identityFile;
    private final Supplier<Map<String, Object>> body;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private volatile Registered registered;
    private volatile String lastError = "";
    private Thread thread;

    /** @param body the registration fields besides the key (name, ip_address, metrics, s3_*, mgmt_*) */
    public RegistryClient(String url, String key, Path dataDir, Supplier<Map<String, Object>> body) {
        this.url = URI.create(url);
        this.key = key;
        this.identityFile = dataDir.resolve("registration.json");
        this.body = body;
        this.registered = readIdentity().orElse(null);
    }

    public Optional<Registered> registered() {
        return Optional.ofNullable(registered);
    }

    public String lastError() {
        return lastError;
    }

    /** Starts registering in the background. */
    public void start() {
        thread = Thread.ofVirtual().name("registry-client").start(() -> {
            Duration wait = FIRST_RETRY;
            while (!Thread.currentThread().isInterrupted()) {
                Outcome o = attempt();
                if (o != Outcome.RETRY) {
                    return;
                }
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
                wait = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
            }
        });
    }

    enum Outcome {
        DONE,
        RETRY,
        GIVE_UP
    }

    /** One registration attempt. */
    Outcome attempt() {
        Map<String, Object> fields = new LinkedHashMap<>(body.get());
        fields.put("registration_key", key);
        fields.put("token", key);
        try {
            HttpRequest req = HttpRequest.newBuilder(url)
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(fields)))
                    .build();
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (res.statusCode() == 200) {
                JsonNode j = Json.mapper().readTree(res.body());
                JsonNode s3 = j.path("s3_config");
                registered = new Registered(
                        j.path("id").asText(""),
                        s3.path("bucket").asText(""),
                        s3.path("region").asText(""),
                        s3.path("prefix").asText(""));
                writeIdentity();
                lastError = "";
                log.info("registered with {} as {}", url, registered.id());
                return Outcome.DONE;
            }
            lastError = "registry answered " + res.statusCode() + ": " + abbreviate(res.body());
            if (res.statusCode() == 400 || res.statusCode() == 413 || res.statusCode() == 405) {
                log.error("registration refused, not retrying: {}", lastError);
                return Outcome.GIVE_UP;
            }
            log.warn("registration failed, will retry: {}", lastError);
            return Outcome.RETRY;
        } catch (IOException e) {
            lastError = "registry unreachable: " + e.getMessage();
            log.warn("{}; will retry", lastError);
            return Outcome.RETRY;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Outcome.GIVE_UP;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private Optional<Registered> readIdentity() {
        try {
            if (!Files.exists(identityFile)) {
                return Optional.empty();
            }
            JsonNode j = Json.mapper().readTree(Files.readAllBytes(identityFile));
            if (!j.path("registry_url").asText().equals(url.toString())
                    || !j.path("key").asText().equals(key)) {
                return Optional.empty(); // another registry or key: register afresh
            }
            return Optional.of(new Registered(
                    j.path("id").asText(),
                    j.path("bucket").asText(),
                    j.path("region").asText(),
                    j.path("prefix").asText()));
        } catch (IOException e) {
            log.warn("cannot read {}: {}", identityFile, e.getMessage());
            return Optional.empty();
        }
    }

    private void writeIdentity() throws IOException {
        Registered r = registered;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("registry_url", url.toString());
        m.put("key", key);
        m.put("id", r.id());
        m.put("bucket", r.bucket());
        m.put("region", r.region());
        m.put("prefix", r.prefix());
        Files.createDirectories(identityFile.getParent());
        Path tmp = identityFile.resolveSibling("registration.json.tmp");
        Files.writeString(tmp, Json.write(m));
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        Files.move(tmp, identityFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.interrupt();
        }
    }
}
