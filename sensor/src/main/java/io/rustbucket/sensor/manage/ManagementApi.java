package io.rustbucket.sensor.manage;

import io.rustbucket.core.json.Json;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The registry-facing API (specs/registry-protocol.md, "Management API"): {@code GET /update_bucket} and
 * {@code GET /extract_logs[?since=]}, for a caller with the sensor's key ({@code Authorization: Token} or
 * {@code Bearer}, compared in constant time). Without a valid key it answers nothing ({@link Optional#empty()}),
 * so on the honeypot port those paths stay ordinary deception pages.
 */
public final class ManagementApi {
    public static final List<String> PATHS = List.of("/update_bucket", "/extract_logs");

    /** A reply: status, content type, body, extra headers. */
    public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {}

    private final String name;
    private final Supplier<String> key;
    private final LogReader logs;
    private final int maxResponseBytes;
    private final IntSupplier connections;
    private final File disk;

    /** @param key the current key (it may change when the sensor registers) */
    public ManagementApi(
            String name,
            Supplier<String> key,
            LogReader logs,
            int maxResponseBytes,
            IntSupplier connections,
            File disk) {
        this.name = name;
        this.key = key;
        this.logs = logs;
        this.maxResponseBytes = maxResponseBytes;
        this.connections = connections;
        this.disk = disk;
    }

    public static boolean isManagementPath(String path) {
        return PATHS.contains(path);
    }

    /** Answers a management request, or empty when it is not one (wrong path, no or wrong key). */
    public Optional<Reply> answer(String method, String target, String authorization) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        if (!isManagementPath(path) || !authorized(authorization)) {
            return Optional.empty();
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return Optional.of(json(405, Map.of("error", "Method not allowed")));
        }
        if (path.equals("/update_bucket")) {
            Map<String, Object> status = status();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", "ok");
            body.putAll(status);
            Map<String, Object> update = new LinkedHashMap<>(status);
            update.put("ip_address", localIp());
            body.put("updates", List.of(update));
            return Optional.of(json(200, body));
        }
        String since = q < 0 ? null : query(target.substring(q + 1)).get("since");
        try {
            LogReader.Page page = logs.read(since, maxResponseBytes);
            return Optional.of(new Reply(
                    200,
                    "text/plain; charset=utf-8",
                    page.lines(),
                    Map.of("X-Log-Cursor", page.next(), "X-Log-More", String.valueOf(page.more()))));
        } catch (IllegalArgumentException e) {
            return Optional.of(json(400, Map.of("error", "Invalid cursor: " + e.getMessage())));
        } catch (IOException e) {
            return Optional.of(json(503, Map.of("error", "Logs unavailable")));
        }
    }

    boolean authorized(String header) {
        String expected = key.get();
        if (header == null || expected == null || expected.isEmpty()) {
            return false;
        }
        String h = header.strip();
        String presented;
        if (h.regionMatches(true, 0, "Token ", 0, 6)) {
            presented = h.substring(6).strip();
        } else if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            presented = h.substring(7).strip();
        } else {
            return false;
        }
        return MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    /** The metrics both registry generations read, as strings within the registration field limits. */
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("operating_system", operatingSystem());
        m.put("cpu_usage", cpuUsage());
        m.put("memory_usage", memoryUsage());
        m.put("disk_space", diskSpace(disk));
        m.put(
                "uptime",
                uptime(Duration.ofMillis(ManagementFactory.getRuntimeMXBean().getUptime())));
        m.put("connections", String.valueOf(connections.getAsInt()));
        return m;
    }

    public static String operatingSystem() {
        return System.getProperty("os.name").toLowerCase(Locale.ROOT) + " (" + System.getProperty("os.arch") + ")";
    }

    static String cpuUsage() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getCpuLoad();
            return load < 0 ? "0.0%" : String.format(Locale.ROOT, "%.1f%%", load * 100);
        }
        return "0.0%";
    }

    static String memoryUsage() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long total = os.getTotalMemorySize();
            long free = os.getFreeMemorySize();
            return total <= 0 ? "0.0%" : String.format(Locale.ROOT, "%.1f%%", (total - free) * 100.0 / total);
        }
        return "0.0%";
    }

    static String diskSpace(File dir) {
        long free = dir.getUsableSpace();
        long total = dir.getTotalSpace();
        return String.format(Locale.ROOT, "%.1f/%.1f GB free", free / 1e9, total / 1e9);
    }

    static String uptime(Duration d) {
        return d.toDays() + "d " + d.toHoursPart() + "h " + d.toMinutesPart() + "m";
    }

    /** This machine's address on its outbound route (what a registry sees). */
    public static String localIp() {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
            s.connect(java.net.InetAddress.getByName("192.0.2.1"), 9); // no packet is sent: this picks the route
            String ip = s.getLocalAddress().getHostAddress();
            return ip.equals("0.0.0.0") ? "127.0.0.1" : ip;
        } catch (IOException e) {
            return "127.0.0.1";
        }
    }

    private static Map<String, String> query(String q) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            try {
                if (eq > 0) {
                    m.put(
                            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            } catch (IllegalArgumentException ignored) {
                // a malformed escape: the parameter is left out
            }
        }
        return m;
    }

    private static Reply json(int status, Object body) {
        return new Reply(status, "application/json", Json.write(body).getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
