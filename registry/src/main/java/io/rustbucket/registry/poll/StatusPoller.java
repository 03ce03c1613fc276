package io.rustbucket.registry.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.json.Json;
import io.rustbucket.registry.RegistryConfig;
import io.rustbucket.registry.sensors.RegisteredSensor;
import io.rustbucket.registry.sensors.SensorStatus;
import io.rustbucket.registry.sensors.Sensors;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;

/**
 * The "pull updates" job: {@code GET /update_bucket} from every Active sensor. Both answer generations are read
 * (flat fields, or {@code {status, updates:[{...}]}}); any 200 is a heartbeat; metrics are stored within the
 * registration field limits.
 */
public final class StatusPoller {
    static final long MAX_STATUS_BYTES = 64 * 1024;

    private final Sensors sensors;
    private final SensorClient client;
    private final RegistryConfig config;

    public StatusPoller(Sensors sensors, SensorClient client, RegistryConfig config) {
        this.sensors = sensors;
        this.client = client;
        this.config = config;
    }

    public Cycle.Report run() {
        return Cycle.run("pull-updates", sensors.withStatus(SensorStatus.ACTIVE), config.pollConcurrency(), this::poll);
    }

    void poll(RegisteredSensor s) throws SensorCallException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        try {
            client.get(
                    s,
                    sensors.pollKey(s.id()),
                    "/update_bucket",
                    Duration.ofSeconds(config.updateTimeoutSecs()),
                    MAX_STATUS_BYTES,
                    body);
        } catch (SensorCallException e) {
            sensors.pollFailed(s.id(), "status poll: " + e.getMessage());
            throw e;
        }
        sensors.heartbeat(s.id(), metrics(body.toByteArray()));
    }

    /** The metrics of either answer shape; a body that is not JSON still counts as a heartbeat, without metrics. */
    static RegisteredSensor.Metrics metrics(byte[] body) {
        JsonNode j;
        try {
            j = Json.mapper().readTree(body);
        } catch (IOException e) {
            j = null;
        }
        if (j == null || !j.isObject()) {
            return new RegisteredSensor.Metrics(null, null, null, null, null);
        }
        JsonNode updates = j.path("updates");
        JsonNode src = updates.isArray() && !updates.isEmpty() && updates.get(0).isObject() ? updates.get(0) : j;
        return new RegisteredSensor.Metrics(
                field(src, j, "cpu_usage", 10),
                field(src, j, "memory_usage", 10),
                field(src, j, "disk_space", 20),
                field(src, j, "uptime", 20),
                field(src, j, "connections", 20));
    }

    private static String field(JsonNode first, JsonNode second, String name, int max) {
        JsonNode v = first.has(name) ? first.get(name) : second.get(name);
        if (v == null || v.isNull() || v.isContainerNode()) {
            return null;
        }
        String s = v.asText().replaceAll("\\p{Cntrl}", "").strip();
        return s.length() > max ? s.substring(0, max) : s;
    }
}
