package io.rustbucket.registry.sensors;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.auth.SecretBox;
import io.rustbucket.core.auth.SecretTokens;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.sql.Database;
import io.rustbucket.registry.RegistryConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code POST /register_bucket} and {@code POST /api/register/} (specs/registry-protocol.md): both body generations,
 * the spec's error answers, idempotent re-registration by the sensor that used the key, and exactly one winner when
 * two sensors race with one key (the key is claimed by a conditional UPDATE inside the transaction).
 */
public final class Registration {
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private static final Pattern IPV4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");
    private static final char[] ID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Optional string fields and their longest accepted length. */
    static final Map<String, Integer> OPTIONAL = orderedLimits();

    /** An answer in the spec's shape: status and JSON body ({@code {"error": ...}} for failures). */
    public record Answer(int status, Map<String, Object> body) {
        static Answer error(int status, String message) {
            return new Answer(status, Map.of("error", message));
        }
    }

    private final Database db;
    private final Clock clock;
    private final SecretBox secrets;
    private final RegistryConfig config;

    public Registration(Database db, Clock clock, SecretBox secrets, RegistryConfig config) {
        this.db = db;
        this.clock = clock;
        this.secrets = secrets;
        this.config = config;
    }

    /** Handles one registration body (already bounded to {@link #MAX_BODY_BYTES} by the caller). */
    public Answer register(byte[] body) {
        JsonNode j;
        try {
            j = Json.mapper().readTree(body);
        } catch (IOException e) {
            return Answer.error(400, "Invalid JSON");
        }
        if (j == null || !j.isObject()) {
            return Answer.error(400, "Invalid JSON");
        }
        Map<String, String> f = new LinkedHashMap<>();
        try {
            for (String name : new String[] {"name", "ip_address", "operating_system", "registration_key", "token"}) {
                f.put(name, text(j, name));
            }
            for (String name : OPTIONAL.keySet()) {
                f.put(name, text(j, name));
            }
        } catch (WrongType e) {
            return Answer.error(400, e.getMessage());
        }
        for (String required : new String[] {"name", "ip_address", "operating_system"}) {
            if (f.get(required) == null) {
                return Answer.error(400, "Missing required field: " + required);
            }
        }
        String key = f.get("registration_key") != null ? f.get("registration_key") : f.get("token");
        if (key == null) {
            return Answer.error(400, "Missing required field: registration_key");
        }
        if (!isIpLiteral(f.get("ip_address"))) {
            return Answer.error(400, "Invalid IP address format");
        }
        if (f.get("name").length() > 128 || f.get("operating_system").length() > 128) {
            return Answer.error(400, "Invalid field: name and operating_system have at most 128 characters");
        }
        for (Map.Entry<String, Integer> o : OPTIONAL.entrySet()) {
            String v = f.get(o.getKey());
            if (v != null && v.length() > o.getValue()) {
                return Answer.error(
                        400, "Invalid field: " + o.getKey() + " has at most " + o.getValue() + " characters");
            }
        }
        String mgmtUrl = f.get("mgmt_url");
        if (mgmtUrl != null && !mgmtUrl.startsWith("https://")) {
            return Answer.error(400, "Invalid field: mgmt_url must be an https:// URL");
        }
        String fp = f.get("mgmt_cert_sha256");
        if (fp != null) {
            fp = fp.toLowerCase(java.util.Locale.ROOT).replace(":", "");
            if (!SHA256_HEX.matcher(fp).matches()) {
                return Answer.error(400, "Invalid field: mgmt_cert_sha256 must be 64 hex digits");
            }
            f.put("mgmt_cert_sha256", fp);
        }
        if ((mgmtUrl == null) != (fp == null)) {
            return Answer.error(400, "Invalid field: mgmt_url and mgmt_cert_sha256 come together");
        }
        Optional<String> id = claim(key, f);
        if (id.isEmpty()) {
            return Answer.error(401, "Invalid or expired registration key");
        }
        Map<String, Object> s3 = new LinkedHashMap<>();
        s3.put("bucket", orDefault(f.get("s3_bucket_name"), config.sensorBucket()));
        s3.put("region", orDefault(f.get("s3_region"), config.sensorRegion()));
        s3.put("prefix", orDefault(f.get("s3_prefix"), config.sensorPrefix()));
        Map<String, Object> ok = new LinkedHashMap<>();
        ok.put("status", "success");
        ok.put("id", id.get());
        ok.put("s3_config", s3);
        return new Answer(200, ok);
    }

    /**
     * Claims the key for a new sensor, or recognises the sensor that claimed it before (same key, same name) and
     * refreshes what it reported. Empty when the key is unknown, revoked, expired unused, or used by another.
     */
    private Optional<String> claim(String key, Map<String, String> f) {
        Instant now = clock.instant();
        String hash = SecretTokens.hash(key);
        return db.inTransaction(h -> {
            Optional<Map<String, Object>> row = h.createQuery(
                            "SELECT id, revoked_at, expires_at, sensor_id FROM registration_keys WHERE key_hash = :h")
                    .bind("h", hash)
                    .mapToMap()
                    .findOne();
            if (row.isEmpty() || row.get().get("revoked_at") != null) {
                return Optional.<String>empty();
            }
            String keyId = (String) row.get().get("id");
            String newId = newSensorId();
            // The conditional UPDATE is the race's referee: of two transactions, only one sees used_at still NULL.
            int claimed = h.createUpdate(
                            "UPDATE registration_keys SET used_at = :now, sensor_id = :sid WHERE id = :id "
                                    + "AND used_at IS NULL AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > :now)")
                    .bind("now", now)
                    .bind("sid", newId)
                    .bind("id", keyId)
                    .execute();
            if (claimed == 1) {
                insert(h, newId, keyId, key, f, now);
                return Optional.of(newId);
            }
            Optional<String> mine = h.createQuery(
                            "SELECT s.id FROM sensors s JOIN registration_keys k ON k.sensor_id = s.id "
                                    + "WHERE k.id = :kid AND s.name = :name")
                    .bind("kid", keyId)
                    .bind("name", f.get("name"))
                    .mapTo(String.class)
                    .findOne();
            mine.ifPresent(sid -> refresh(h, sid, key, f));
            return mine;
        });
    }

    private void insert(
            org.jdbi.v3.core.Handle h, String id, String keyId, String key, Map<String, String> f, Instant now) {
        SensorStatus status = config.autoApprove() ? SensorStatus.ACTIVE : SensorStatus.REVIEW;
        h.createUpdate("INSERT INTO sensors (id, name, ip_address, operating_system, status, key_id, poll_secret, "
                        + "cpu_usage, memory_usage, disk_space, uptime, connections, s3_bucket_name, s3_region, "
                        + "s3_prefix, mgmt_url, mgmt_cert_sha256, registered_at) VALUES (:id, :name, :ip_address, "
                        + ":operating_system, :status, :key_id, :secret, :cpu_usage, :memory_usage, :disk_space, "
                        + ":uptime, :connections, :s3_bucket_name, :s3_region, :s3_prefix, :mgmt_url, "
                        + ":mgmt_cert_sha256, :now)")
                .bind("id", id)
                .bind("status", status.label())
                .bind("key_id", keyId)
                .bind("secret", secrets.seal(id, key))
                .bind("now", now)
                .bindMap(columns(f))
                .execute();
        Sensors.insertHistory(h, id, null, status.label(), "registration", now);
    }

    private void refresh(org.jdbi.v3.core.Handle h, String id, String key, Map<String, String> f) {
        h.createUpdate("UPDATE sensors SET ip_address = :ip_address, operating_system = :operating_system, "
                        + "cpu_usage = :cpu_usage, memory_usage = :memory_usage, disk_space = :disk_space, "
                        + "uptime = :uptime, connections = :connections, s3_bucket_name = :s3_bucket_name, "
                        + "s3_region = :s3_region, s3_prefix = :s3_prefix, mgmt_url = :mgmt_url, "
                        + "mgmt_cert_sha256 = :mgmt_cert_sha256, poll_secret = :secret WHERE id = :id")
                .bind("id", id)
                .bind("secret", secrets.seal(id, key))
                .bindMap(columns(f))
                .execute();
    }

    private static Map<String, Object> columns(Map<String, String> f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", f.get("name"));
        m.put("ip_address", f.get("ip_address"));
        m.put("operating_system", f.get("operating_system"));
        OPTIONAL.keySet().forEach(k -> m.put(k, f.get(k)));
        return m;
    }

    /** A field of the wrong JSON type. */
    private static final class WrongType extends Exception {
        WrongType(String field) {
            super("Invalid field: " + field + " must be a string", null, false, false);
        }
    }

    /** A field as text: strings as they are, numbers and booleans as written, blank = absent; objects are wrong. */
    private static String text(JsonNode j, String name) throws WrongType {
        JsonNode v = j.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (v.isContainerNode()) {
            throw new WrongType(name);
        }
        String s = v.asText().strip();
        return s.isEmpty() ? null : s;
    }

    /** An IPv4 or IPv6 literal; never resolves a name. */
    static boolean isIpLiteral(String s) {
        if (IPV4.matcher(s).matches()) {
            return true;
        }
        if (!s.contains(":") || !IPV6_CHARS.matcher(s).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(s); // a literal (it contains ':' and only address characters): no lookup
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    static String newSensorId() {
        StringBuilder b = new StringBuilder("BKT");
        for (int i = 0; i < 20; i++) {
            b.append(ID_ALPHABET[RANDOM.nextInt(ID_ALPHABET.length)]);
        }
        return b.toString();
    }

    private static String orDefault(String v, String dflt) {
        return v == null ? dflt : v;
    }

    private static Map<String, Integer> orderedLimits() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("cpu_usage", 10);
        m.put("memory_usage", 10);
        m.put("disk_space", 20);
        m.put("uptime", 20);
        m.put("connections", 20);
        m.put("s3_bucket_name", 255);
        m.put("s3_region", 64);
        m.put("s3_prefix", 255);
        m.put("mgmt_url", 512);
        m.put("mgmt_cert_sha256", 95);
        return java.util.Collections.unmodifiableMap(m);
    }
}
