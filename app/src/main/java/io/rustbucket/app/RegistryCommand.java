package io.rustbucket.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.registry.Registry;
import io.rustbucket.registry.keys.RegistrationKeys;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./rustbucket registry}: the registry alone; {@code registry keys create|list|revoke} and
 * {@code registry run-job NAME} work on the data directory, or on a running platform with {@code --url} and an admin
 * {@code --token} (the H2 database of a running platform is locked to it).
 */
@Command(
        name = "registry",
        mixinStandardHelpOptions = true,
        description = "Run the registry alone, or manage registration keys and jobs.",
        subcommands = {RegistryCommand.Keys.class, RegistryCommand.RunJob.class})
final class RegistryCommand implements Callable<Integer> {
    @Mixin
    PlatformOptions options;

    @Override
    public Integer call() {
        return UpCommand.run(options.load(), EnumSet.of(Platform.Part.REGISTRY));
    }

    /** Where a management command acts: a running platform's API, or the data directory directly. */
    static final class Target {
        @Option(names = "--url", paramLabel = "URL", description = "a running platform, e.g. http://127.0.0.1:9080")
        String url;

        @Option(
                names = "--token",
                paramLabel = "TOKEN",
                description = "an admin API token for --url (default: $RUSTBUCKET_TOKEN)")
        String token;

        @Mixin
        PlatformOptions options;

        /** Runs {@code local} against the data directory, or returns null when {@code --url} is given. */
        <T> T local(Function<Registry, T> local) {
            RustbucketConfig config = options.load();
            try (CoreServices core = CoreServices.open(
                    Platform.prepareDataDir(config.platform().dataPath()),
                    config.database(),
                    config.store(),
                    config.auth(),
                    config.llm(),
                    System.getenv(),
                    new PasswordHasher(),
                    Clock.systemUTC())) {
                try (Registry registry = Registry.open(core, config.registry())) {
                    return local.apply(registry);
                }
            } catch (io.rustbucket.core.sql.DatabaseUnavailableException e) {
                throw new IllegalStateException(e.getMessage()
                        + " (is the platform running? then pass --url http://HOST:PORT --token rbt_...)");
            }
        }

        JsonNode call(String method, String path, Object body) {
            String t = token != null ? token : System.getenv("RUSTBUCKET_TOKEN");
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException("--url needs an admin token: --token rbt_... or $RUSTBUCKET_TOKEN");
            }
            try {
                HttpRequest req = HttpRequest.newBuilder(URI.create(url.replaceAll("/+$", "") + path))
                        .timeout(Duration.ofMinutes(30))
                        .header("Authorization", "Bearer " + t)
                        .header("Content-Type", "application/json")
                        .method(
                                method,
                                body == null
                                        ? HttpRequest.BodyPublishers.noBody()
                                        : HttpRequest.BodyPublishers.ofString(Json.write(body)))
                        .build();
                HttpResponse<String> r;
                try (HttpClient http = HttpClient.newHttpClient()) {
                    r = http.send(req, HttpResponse.BodyHandlers.ofString());
                }
                if (r.statusCode() >= 300) {
                    JsonNode problem = r.body().isEmpty() ? null : Json.mapper().readTree(r.body());
                    String detail =
                            problem == null ? "" : problem.path("detail").asText(r.body());
                    throw new IllegalStateException(
                            method + " " + path + " answered " + r.statusCode() + ": " + detail);
                }
                return r.body().isEmpty()
                        ? Json.mapper().createObjectNode()
                        : Json.mapper().readTree(r.body());
            } catch (IOException e) {
                throw new IllegalStateException("cannot reach " + url + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    @Command(
            name = "keys",
            mixinStandardHelpOptions = true,
            description = "Registration keys for sensors.",
            subcommands = {Keys.Create.class, Keys.ListKeys.class, Keys.Revoke.class})
    static final class Keys {
        @Command(name = "create", mixinStandardHelpOptions = true, description = "Issue a key (shown once).")
        static final class Create implements Callable<Integer> {
            @Mixin
            Target target;

            @Option(names = "--name", required = true, description = "what the key is for, e.g. the sensor's name")
            String name;

            @Option(
                    names = "--expires-in-days",
                    description = "days the key may be used to register (default: no limit)")
            Integer expiresInDays;

            @Override
            public Integer call() {
                PrintStream out = System.out;
                if (target.url != null) {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("name", name);
                    body.put("expires_in_days", expiresInDays);
                    JsonNode j = target.call("POST", "/api/registration-keys", body);
                    out.println(j.path("key").asText());
                    out.println("id " + j.path("id").asText() + ", expires "
                            + j.path("expires_at").asText("never"));
                    return 0;
                }
                RegistrationKeys.Issued issued = target.local(r -> r.keys().create("cli", name, expiresInDays));
                out.println(issued.key());
                out.println("id " + issued.info().id() + ", expires "
                        + (issued.info().expiresAt() == null
                                ? "never"
                                : issued.info().expiresAt()));
                return 0;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List keys (never the keys themselves).")
        static final class ListKeys implements Callable<Integer> {
            @Mixin
            Target target;

            @Override
            public Integer call() {
                PrintStream out = System.out;
                out.printf("%-36s  %-8s  %-24s  %s%n", "ID", "STATE", "SENSOR", "NAME");
                if (target.url != null) {
                    for (JsonNode k :
                            target.call("GET", "/api/registration-keys", null).path("keys")) {
                        out.printf(
                                "%-36s  %-8s  %-24s  %s%n",
                                k.path("id").asText(),
                                k.path("state").asText(),
                                k.path("sensor_id").asText("-"),
                                k.path("name").asText());
                    }
                    return 0;
                }
                Instant now = Instant.now();
                target.local(r -> r.keys().list())
                        .forEach(k -> out.printf(
                                "%-36s  %-8s  %-24s  %s%n",
                                k.id(), k.state(now), k.sensorId() == null ? "-" : k.sensorId(), k.name()));
                return 0;
            }
        }

        @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a key by id.")
        static final class Revoke implements Callable<Integer> {
            @Mixin
            Target target;

            @Parameters(paramLabel = "ID")
            String id;

            @Override
            public Integer call() {
                if (target.url != null) {
                    target.call("DELETE", "/api/registration-keys/" + id, null);
                } else if (!target.local(
                        r -> r.keys().find(id).isPresent() && r.keys().revoke(id))) {
                    throw new IllegalArgumentException("no registration key " + id + ", or it is revoked already");
                }
                System.out.println("revoked " + id);
                return 0;
            }
        }
    }

    @Command(
            name = "run-job",
            mixinStandardHelpOptions = true,
            description = "Run a registry job now: pull-updates, pull-logs, health, parse, analyze.")
    static final class RunJob implements Callable<Integer> {
        @Mixin
        Target target;

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            Registry.Job job = Registry.Job.of(name)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "no job " + name + " (jobs: pull-updates, pull-logs, health, parse, analyze)"));
            if (target.url != null) {
                JsonNode j = target.call("POST", "/api/registry/jobs/" + job.id(), null);
                System.out.println(job.id() + ": " + j.path("summary").asText() + " ("
                        + j.path("millis").asLong() + " ms)");
                return 0;
            }
            Registry.JobRun run = target.local(r -> r.runJob(job));
            if (!run.ran()) {
                System.err.println("rustbucket: " + job.id() + " is running in another process");
                return 1;
            }
            System.out.println(job.id() + ": " + run.summary() + " (" + run.millis() + " ms)");
            return 0;
        }
    }
}
