package io.rustbucket.core.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A GCRA rate limiter per key (IP, user, account name): {@code rate} events per {@code period}, with bursts of
 * up to {@code burst}. State is one number per key. Overflow policy: at most {@code maxKeys} keys are tracked;
 * when full, idle keys are dropped, and if still full a new key is let through untracked and counted in
 * {@link #untracked()} (failing open beats locking everyone out when an attacker rotates addresses).
 */
public final class RateLimiter {
    private final long intervalNanos;
    private final long toleranceNanos;
    private final int maxKeys;
    private final Clock clock;
    private final ConcurrentHashMap<String, Long> tat = new ConcurrentHashMap<>();
    private final AtomicLong untracked = new AtomicLong();

    public RateLimiter(int rate, Duration period, int burst, int maxKeys, Clock clock) {
        if (rate < 1 || burst < 1) {
            throw new IllegalArgumentException("rate and burst must be >= 1");
        }
        this.intervalNanos = period.toNanos() / rate;
        this.toleranceNanos = intervalNanos * (burst - 1L);
        this.maxKeys = maxKeys;
        this.clock = clock;
    }

    /** Records one event for a key; returns how long to wait when the event is over the limit (not recorded). */
    public Optional<Duration> acquire(String key) {
        long now = nanos();
        if (!tat.containsKey(key) && tat.size() >= maxKeys) {
            tat.entrySet().removeIf(e -> e.getValue() <= now);
            if (tat.size() >= maxKeys) {
                untracked.incrementAndGet();
                return Optional.empty();
            }
        }
        long[] wait = {0};
        tat.compute(key, (k, stored) -> {
            long t = stored == null ? now : Math.max(stored, now);
            if (t - now > toleranceNanos) {
                wait[0] = t - now - toleranceNanos;
                return stored;
            }
            return t + intervalNanos;
        });
        return wait[0] > 0 ? Optional.of(Duration.ofNanos(wait[0])) : Optional.empty();
    }

    /** Tells how long a key must wait before its next event, without recording one; empty = may go now. */
    public Optional<Duration> check(String key) {
        Long stored = tat.get(key);
        long now = nanos();
        if (stored == null || stored - now <= toleranceNanos) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(stored - now - toleranceNanos));
    }

    /** Forgets a key (e.g. after a successful sign-in). */
    public void reset(String key) {
        tat.remove(key);
    }

    public long untracked() {
        return untracked.get();
    }

    private long nanos() {
        var i = clock.instant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
