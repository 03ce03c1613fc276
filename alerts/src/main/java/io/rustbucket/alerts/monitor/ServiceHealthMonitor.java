package io.rustbucket.alerts.monitor;

import io.rustbucket.alerts.incident.Condition;
import io.rustbucket.alerts.incident.Severity;
import io.rustbucket.core.health.PartState;
import io.rustbucket.core.health.Readiness;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Services that are not well: this process's own parts (database, index, queue, ...) from its readiness, and the
 * health endpoints of other services named in the configuration.
 */
public final class ServiceHealthMonitor implements Monitor {
    private final Readiness readiness;
    private final MonitorConfig config;
    private final HttpClient http;

    public ServiceHealthMonitor(Readiness readiness, MonitorConfig config) {
        this.readiness = readiness;
        this.config = config;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(config.healthTimeoutSecs()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name() {
        return "health";
    }

    @Override
    public List<Condition> check() {
        List<Condition> out = new ArrayList<>();
        for (PartState p : readiness.states()) {
            if (p.status() == PartState.Status.DOWN) {
                out.add(new Condition(
                        name() + "/part/" + p.name(),
                        "service-health",
                        Severity.CRITICAL,
                        p.name() + " is down",
                        p.detail(),
                        0));
            }
        }
        for (String url : config.healthUrls()) {
            String problem = probe(url);
            if (problem != null) {
                out.add(new Condition(
                        name() + "/url/" + url, "service-health", Severity.CRITICAL, url + " is failing", problem, 0));
            }
        }
        return out;
    }

    /** Null when the endpoint answered 2xx in time, else what went wrong. */
    private String probe(String url) {
        try {
            HttpResponse<Void> r = http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .timeout(Duration.ofSeconds(config.healthTimeoutSecs()))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.statusCode() / 100 == 2 ? null : "answered HTTP " + r.statusCode();
        } catch (java.net.http.HttpTimeoutException e) {
            return "no answer within " + config.healthTimeoutSecs() + " s";
        } catch (IOException | IllegalArgumentException e) {
            return "unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
