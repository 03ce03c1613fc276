package io.rustbucket.sensor.record;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event and session ids: UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits from the
 * thread's own generator. Unique and time-ordered without the lock and cost of {@code SecureRandom}, which a
 * flood of connections (three events each) would otherwise queue on. Ids are not secrets.
 */
public final class EventIds {
    private EventIds() {}

    public static String next() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = (System.currentTimeMillis() << 16) | 0x7000L | (r.nextInt() & 0x0fff);
        long lo = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }
}
