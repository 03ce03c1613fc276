package io.rustbucket.bucketchat.storage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a room lives in the bucket:
 * {@code rooms/{room}/metadata.json}, {@code rooms/{room}/metadata/v{n}.json} (EXT) and
 * {@code rooms/{room}/logs/{YYYY-MM-DD}/messages_{start_ts}_{end_ts}_{client_id}[_{n}].jsonl}, dates in UTC.
 */
public final class RoomLayout {
    /** A log file name; the {@code _n} suffix (EXT) separates flushes that collide in the same millisecond. */
    static final Pattern LOG_FILE = Pattern.compile(
            "rooms/([^/]+)/logs/(\\d{4}-\\d{2}-\\d{2})/messages_(\\d+)_(\\d+)_([A-Za-z0-9_]*?)(?:_(\\d+))?\\.jsonl");

    /** What a log file's name says about its events. */
    public record LogFile(
            String key, String roomId, LocalDate date, long startTs, long endTs, String clientId, int seq) {}

    private RoomLayout() {}

    public static String roomPrefix(String roomId) {
        return "rooms/" + roomId + "/";
    }

    public static String metadataKey(String roomId) {
        return roomPrefix(roomId) + "metadata.json";
    }

    public static String metadataVersionKey(String roomId, int version) {
        return roomPrefix(roomId) + "metadata/v" + version + ".json";
    }

    public static String metadataVersionsPrefix(String roomId) {
        return roomPrefix(roomId) + "metadata/v";
    }

    public static String logsPrefix(String roomId) {
        return roomPrefix(roomId) + "logs/";
    }

    public static String dayPrefix(String roomId, LocalDate day) {
        return logsPrefix(roomId) + day + "/";
    }

    public static LocalDate utcDate(long timestampMs) {
        return Instant.ofEpochMilli(timestampMs).atZone(ZoneOffset.UTC).toLocalDate();
    }

    /** The key of a log file; {@code seq} 0 means no suffix. */
    public static String logKey(String roomId, long startTs, long endTs, String clientId, int seq) {
        return dayPrefix(roomId, utcDate(startTs)) + "messages_" + startTs + "_" + endTs + "_" + clientId
                + (seq == 0 ? "" : "_" + seq) + ".jsonl";
    }

    /** Parses a log file key; empty when the key is not a log file. */
    public static Optional<LogFile> parseLogKey(String key) {
        Matcher m = LOG_FILE.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new LogFile(
                    key,
                    m.group(1),
                    LocalDate.parse(m.group(2)),
                    Long.parseLong(m.group(3)),
                    Long.parseLong(m.group(4)),
                    m.group(5),
                    m.group(6) == null ? 0 : Integer.parseInt(m.group(6))));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The client id of a sender for file names: the part before the first '@', keeping only ASCII letters,
     * digits and '_' ({@code user:alice} becomes {@code useralice}, {@code alice@x.com} becomes {@code alice}).
     */
    public static String clientId(String senderId) {
        int at = senderId.indexOf('@');
        String head = at < 0 ? senderId : senderId.substring(0, at);
        StringBuilder b = new StringBuilder();
        for (char c : head.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') {
                b.append(c);
            }
        }
        return b.toString();
    }
}
