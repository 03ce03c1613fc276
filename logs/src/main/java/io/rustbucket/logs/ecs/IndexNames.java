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
    private static final Pattern UNSAFE = Pattern.compile("[^a-z0-9_-]");
    private static final Pattern LEADING = Pattern.compile("^[_-]+");

    /** A parsed index name. */
    public record Parsed(String service, LocalDate day) {}

    private IndexNames() {}

    public static String of(String service, Instant at) {
        LocalDate day = LocalDate.ofInstant(at, ZoneOffset.UTC);
        if (day.getYear() < 1000 || day.getYear() > 9999) {
            return "logs-" + safeService(service) + "-" + DAY.format(day);
        }
        // Every event is named: built by hand, as the formatter costs more than the rest of the name.
        StringBuilder b = new StringBuilder(32)
                .append("logs-")
                .append(safeService(service))
                .append('-');
        b.append(day.getYear()).append('.');
        if (day.getMonthValue() < 10) {
            b.append('0');
        }
        b.append(day.getMonthValue()).append('.');
        if (day.getDayOfMonth() < 10) {
            b.append('0');
        }
        return b.append(day.getDayOfMonth()).toString();
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
        if (alreadySafe(service)) {
            return service;
        }
        String s = service == null
                ? ""
                : UNSAFE.matcher(service.toLowerCase(Locale.ROOT)).replaceAll("_");
        s = LEADING.matcher(s).replaceAll("");
        if (s.length() > 100) {
            s = s.substring(0, 100);
        }
        return s.isEmpty() ? "app" : s;
    }

    /** The usual case, checked without allocating: already lower case a-z 0-9 _ -, not leading _ or -, short. */
    private static boolean alreadySafe(String service) {
        if (service == null || service.isEmpty() || service.length() > 100) {
            return false;
        }
        for (int i = 0; i < service.length(); i++) {
            char c = service.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || ((c == '_' || c == '-') && i > 0);
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
