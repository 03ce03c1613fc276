package io.rustbucket.sensor.shell;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The machine the shell pretends to be. Every detail an attacker can cross-check (hostname, private address,
 * MAC, memory, CPU count, boot time) derives from one seed, the sensor's name, so two sensors differ while one
 * sensor never contradicts itself; and none of it is a well-known honeypot default.
 *
 * @param hostname e.g. {@code ip-172-31-23-114}, the cloud-style name of {@link #privateIp}
 * @param bootedAt uptime advances from here with the clock
 */
public record FakeMachine(
        String hostname,
        String privateIp,
        String mac,
        int cpus,
        long memoryKb,
        String cpuModel,
        String kernel,
        String osName,
        List<String> users,
        Instant bootedAt,
        Clock clock) {

    public static final String KERNEL = "5.15.0-91-generic";
    public static final String OS_NAME = "Ubuntu 22.04.3 LTS";

    /** The persona of sensor {@code seed}; {@code hostname} overrides the derived name when not blank. */
    public static FakeMachine forSensor(String seed, String hostname, Clock clock) {
        byte[] h = sha256(seed);
        int a = h[0] & 0xff;
        int b = Math.max(1, h[1] & 0xff) % 254 + 1;
        String ip = "172.31." + (a % 64 + 16) + "." + b;
        String name = hostname == null || hostname.isBlank() ? "ip-" + ip.replace('.', '-') : hostname;
        String mac = String.format(
                "0a:%02x:%02x:%02x:%02x:%02x", h[2] & 0xff, h[3] & 0xff, h[4] & 0xff, h[5] & 0xff, h[6] & 0xff);
        int cpus = (h[7] & 1) == 0 ? 2 : 4;
        long mem = cpus == 2 ? 4_013_544 : 8_040_288;
        // booted between 3 and 60 days before this process started: a server, not a fresh VM
        Duration up = Duration.ofMinutes(3 * 24 * 60 + (((h[8] & 0xff) << 8) | (h[9] & 0xff)) % (57 * 24 * 60));
        return new FakeMachine(
                name,
                ip,
                mac,
                cpus,
                mem,
                "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz",
                KERNEL,
                OS_NAME,
                List.of("root", "ubuntu"),
                clock.instant().minus(up),
                clock);
    }

    /**
     * Where the machine's owner logs in from (the MOTD's "Last login" and {@code last}): a stable public-looking
     * address derived from the hostname, so both always agree.
     */
    public String ownerIp() {
        int h = hostname.hashCode();
        return "86." + ((h >>> 8) & 0xff) + "." + ((h >>> 16) & 0xff) + "." + (1 + (h & 0x7f));
    }

    public Duration uptime() {
        return Duration.between(bootedAt, clock.instant());
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Lower-case hex of a digest, for tests and logs. */
    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
