package io.rustbucket.sensor.listen;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one place connection counts are enforced: at most {@code max} open connections in all, and
 * {@code perIp} from one source address. A refused connection is closed by the listener at once (after one
 * event saying which limit, configured and observed values).
 */
public final class ConnectionGate {
    /** The outcome of asking to open a connection. */
    public sealed interface Admission permits Admitted, Refused {}

    /** Admitted: close the permit when the connection ends (exactly once; later closes do nothing). */
    public record Admitted(Permit permit) implements Admission {}

    /** Refused, naming the limit ({@code max_connections} or {@code per_ip_connections}). */
    public record Refused(String limit, int configured, int observed) implements Admission {
        /** The recorded reason, e.g. {@code connection refused: per-ip limit 64 reached (observed 64)}. */
        public String describe() {
            return "connection refused: " + limit + " " + configured + " reached (observed " + observed + ")";
        }
    }

    private final int max;
    private final int perIp;
    private final AtomicInteger open = new AtomicInteger();
    /** Open connections per address; an address leaves the map when its count reaches zero (no growth from scans). */
    private final ConcurrentHashMap<InetAddress, Integer> byIp = new ConcurrentHashMap<>();

    public ConnectionGate(int max, int perIp) {
        this.max = max;
        this.perIp = perIp;
    }

    public Admission admit(InetAddress source) {
        int total = open.incrementAndGet();
        if (total > max) {
            open.decrementAndGet();
            return new Refused("max_connections", max, total - 1);
        }
        int[] before = {0};
        boolean[] admitted = {false};
        byIp.compute(source, (ip, count) -> {
            int c = count == null ? 0 : count;
            before[0] = c;
            if (c >= perIp) {
                return count;
            }
            admitted[0] = true;
            return c + 1;
        });
        if (!admitted[0]) {
            open.decrementAndGet();
            return new Refused("per_ip_connections", perIp, before[0]);
        }
        return new Admitted(new Permit(source));
    }

    public int open() {
        return open.get();
    }

    public int open(InetAddress source) {
        return byIp.getOrDefault(source, 0);
    }

    /** Addresses with at least one open connection. */
    public int addresses() {
        return byIp.size();
    }

    private void release(InetAddress source) {
        byIp.computeIfPresent(source, (ip, c) -> c <= 1 ? null : c - 1);
        open.decrementAndGet();
    }

    /** One admitted connection's place in the counts. */
    public final class Permit implements AutoCloseable {
        private final InetAddress source;
        private final AtomicBoolean closed = new AtomicBoolean();

        Permit(InetAddress source) {
            this.source = source;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(source);
            }
        }
    }
}
