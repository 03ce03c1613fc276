package io.rustbucket.logs.ecs;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Daily index names {@code logs-{service}-{YYYY.MM.DD}} (UTC, from the event's own time), all under alias {@code logs}. */
public final class IndexNames {
    public static final String ALIAS = "logs";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy.MM.dd");
    private static final Pattern NAME = Pattern.compile("logs-(.+)-(\\d{4}\\.\\d{2}\\.\\d{2})");

    /** A parsed index name. */
    public record Parsed(String service, LocalDate day) {}

    private IndexNames() {}

    public static String of(String service, Instant at) {
        return "logs-" + safeService(service) + "-"
                + DAY.format(at.atZone(ZoneOffset.UTC).toLocalDate());
    }

    public static Optional<Parsed> parse(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Parsed(m.group(1), LocalDate.parse(m.group(2), DAY)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * A service name usable in an index name on both backends: lower case, only a-z 0-9 _ and -, at most 100
     * characters, never empty (OpenSearch refuses upper case and most punctuation).
     */
    public static String safeService(String service) {
        String s = service == null ? "" : service.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "_");
        s = s.replaceAll("^[_-]+", "");
        if (s.length() > 100) {
            s = s.substring(0, 100);
        }
        return s.isEmpty() ? "app" : s;
    }
}
