package io.rustbucket.console;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The range a page shows: {@code 24h}, {@code 7d}, {@code 30d} ending now, or {@code custom} between two UTC
 * times; with the number of chart buckets that suits it (hours, six hours, days).
 */
public record TimeRange(String name, Instant from, Instant to, int buckets) {
    static final Duration MAX_CUSTOM = Duration.ofDays(366);

    static TimeRange parse(String name, String from, String to, Instant now) {
        String n = name == null || name.isBlank() ? "24h" : name;
        return switch (n) {
            case "24h" -> new TimeRange(n, now.minus(Duration.ofHours(24)), now, 24);
            case "7d" -> new TimeRange(n, now.minus(Duration.ofDays(7)), now, 28);
            case "30d" -> new TimeRange(n, now.minus(Duration.ofDays(30)), now, 30);
            case "custom" -> custom(from, to, now);
            default -> throw PageGuard.Problem.invalid("range must be 24h, 7d, 30d or custom");
        };
    }

    private static TimeRange custom(String from, String to, Instant now) {
        Instant f = time(from, "from");
        Instant t = to == null || to.isBlank() ? now : time(to, "to");
        if (f == null || !f.isBefore(t)) {
            throw PageGuard.Problem.invalid("a custom range needs 'from' before 'to'");
        }
        if (Duration.between(f, t).compareTo(MAX_CUSTOM) > 0) {
            throw PageGuard.Problem.invalid("a custom range is at most 366 days");
        }
        return new TimeRange("custom", f, t, 48);
    }

    /** A UTC time from a {@code datetime-local} input ({@code 2026-12-01T10:00}) or an ISO instant. */
    static Instant time(String s, String name) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return s.endsWith("Z") ? Instant.parse(s) : LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw PageGuard.Problem.invalid("'" + name + "' is not a time (use 2026-12-01T10:00, UTC)");
        }
    }
}
