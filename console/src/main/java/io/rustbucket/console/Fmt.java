package io.rustbucket.console;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formatting for templates. Times are UTC, as everywhere in the platform. {@link #visible} makes attacker text
 * safe to look at: HTML escaping is the template engine's job, this shows control characters and bidirectional
 * overrides as visible marks so an ANSI sequence or an RTL override cannot disguise what was typed.
 */
public final class Fmt {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter INPUT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private Fmt() {}

    public static String time(Instant t) {
        return t == null ? "—" : TIME.format(t);
    }

    /** The value of an {@code <input type="datetime-local">}, in UTC. */
    public static String inputTime(Instant t) {
        return t == null ? "" : INPUT.format(t);
    }

    public static String ago(Instant t, Instant now) {
        if (t == null) {
            return "never";
        }
        Duration d = Duration.between(t, now);
        if (d.isNegative() || d.toSeconds() < 60) {
            return "just now";
        }
        if (d.toMinutes() < 60) {
            return d.toMinutes() + " min ago";
        }
        if (d.toHours() < 48) {
            return d.toHours() + " h ago";
        }
        return d.toDays() + " days ago";
    }

    public static String duration(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + " s";
        }
        if (s < 3600) {
            return (s / 60) + " min " + (s % 60) + " s";
        }
        return (s / 3600) + " h " + (s % 3600 / 60) + " min";
    }

    public static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    public static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    public static String orDash(Object o) {
        return o == null || o.toString().isEmpty() ? "—" : o.toString();
    }

    /**
     * Attacker text with every control character (except newline and tab) written as {@code ^[}, {@code \x07}
     * and the like, and every bidirectional control as {@code <U+202E>}.
     */
    public static String visible(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(c -> {
            if (c == '\n' || c == '\t') {
                b.appendCodePoint(c);
            } else if (c == 0x1b) {
                b.append("^[");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                b.append(String.format(Locale.ROOT, "\\x%02x", c));
            } else if (isBidiControl(c) || c == 0xfeff) {
                b.append(String.format(Locale.ROOT, "<U+%04X>", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    static boolean isBidiControl(int c) {
        return c == 0x200e
                || c == 0x200f
                || c == 0x061c
                || (c >= 0x202a && c <= 0x202e)
                || (c >= 0x2066 && c <= 0x2069);
    }

    /** Stored JSON indented for reading; text that is not JSON is shown as it is. */
    public static String prettyJson(String json) {
        try {
            var mapper = io.rustbucket.core.json.Json.mapper();
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(mapper.readTree(json));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return json;
        }
    }

    /** A value as one URL path segment (room ids may hold spaces and other reserved characters). */
    public static String pathSegment(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20");
    }

    /** A Bucket Chat timestamp as UTC time. */
    public static String millis(long ms) {
        return time(Instant.ofEpochMilli(ms));
    }

    /** A short form of a long value (hashes, ids) for tables; the full value goes in a title attribute. */
    public static String shortId(String s) {
        return s == null ? "—" : s.length() <= 12 ? s : s.substring(0, 12) + "…";
    }

    /** {@code a=1&b=2} of the non-blank values, URL-encoded: the filters a paging link carries along. */
    public static String queryString(java.util.Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                b.append(b.isEmpty() ? "" : "&")
                        .append(k)
                        .append('=')
                        .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8));
            }
        });
        return b.toString();
    }
}
