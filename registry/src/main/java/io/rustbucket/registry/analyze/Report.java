package io.rustbucket.registry.analyze;

import io.rustbucket.core.json.Json;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The deterministic report: the facts as readable text, the same for the same facts. Written when no model is
 * configured (offline) or the model failed. Attacker strings are shown JSON-quoted, so nothing they contain can
 * pass for report text or carry control characters.
 */
final class Report {
    private Report() {}

    @SuppressWarnings("unchecked")
    static String fromFacts(Map<String, Object> f) {
        Map<String, Object> sensor = (Map<String, Object>) f.get("sensor");
        Map<String, Object> period = (Map<String, Object>) f.get("period");
        StringBuilder b = new StringBuilder();
        b.append("Sensor ")
                .append(sensor.get("name"))
                .append(" (")
                .append(sensor.get("ip_address"))
                .append("), ")
                .append(period.get("from"))
                .append(" to ")
                .append(period.get("to"))
                .append(".\n");
        b.append(f.get("events"))
                .append(" events in ")
                .append(f.get("sessions"))
                .append(" sessions.");
        Map<String, Long> byProtocol = (Map<String, Long>) f.get("by_protocol");
        if (!byProtocol.isEmpty()) {
            b.append(" By protocol: ").append(counts(byProtocol)).append('.');
        }
        Map<String, Long> byAction = (Map<String, Long>) f.get("by_action");
        if (!byAction.isEmpty()) {
            b.append(" By action: ").append(counts(byAction)).append('.');
        }
        b.append('\n');
        section(
                b,
                "Top sources",
                (List<Map<String, Object>>) f.get("top_source_ips"),
                m -> m.get("ip") + " (" + m.get("events") + " events, " + m.get("sessions") + " sessions" + novelty(m)
                        + ")");
        section(
                b,
                "Credentials tried",
                (List<Map<String, Object>>) f.get("top_credentials"),
                m -> quote((String) m.get("user"), 64) + " / " + quote((String) m.get("password"), 64) + " x"
                        + m.get("attempts"));
        section(
                b,
                "Commands",
                (List<Map<String, Object>>) f.get("top_commands"),
                m -> quote((String) m.get("command"), 200) + " x" + m.get("count"));
        section(
                b,
                "URLs",
                (List<Map<String, Object>>) f.get("urls"),
                m -> quote((String) m.get("value"), 300) + " x" + m.get("count") + novelty(m));
        section(
                b,
                "File hashes (SHA-256)",
                (List<Map<String, Object>>) f.get("file_hashes"),
                m -> m.get("value") + " x" + m.get("count") + novelty(m));
        section(
                b,
                "Longest sessions",
                (List<Map<String, Object>>) f.get("longest_sessions"),
                m -> m.get("session")
                        + " from " + m.get("source_ip") + " over " + m.get("protocol") + ": " + m.get("seconds")
                        + " s, "
                        + m.get("events") + " events");
        long firstSeen = 0;
        for (String list : new String[] {"top_source_ips", "urls", "file_hashes"}) {
            firstSeen += ((List<Map<String, Object>>) f.get(list))
                    .stream()
                            .filter(m -> Boolean.TRUE.equals(m.get("first_seen")))
                            .count();
        }
        b.append("First-seen indicators among those listed: ").append(firstSeen).append(".\n");
        return b.toString().strip();
    }

    private static String novelty(Map<String, Object> m) {
        return Boolean.TRUE.equals(m.get("first_seen")) ? ", first seen" : ", seen before";
    }

    private static void section(
            StringBuilder b,
            String title,
            List<Map<String, Object>> items,
            java.util.function.Function<Map<String, Object>, String> line) {
        if (items.isEmpty()) {
            return;
        }
        b.append(title).append(":\n");
        items.forEach(m -> b.append("  - ").append(line.apply(m)).append('\n'));
    }

    private static String counts(Map<String, Long> m) {
        return m.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
    }

    /** An attacker string as a JSON string literal, cut to {@code max} characters first. */
    static String quote(String s, int max) {
        if (s == null) {
            return "null";
        }
        String v = s.length() > max ? s.substring(0, max) + "..." : s;
        return Json.write(v).replace(">", "\\u003e"); // the fence cannot be closed from inside
    }
}
