package io.rustbucket.sensor.respond;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/**
 * LLM requests and tokens spent per UTC day, per source IP and over all. Resets at midnight UTC. Overflow policy:
 * at most {@link #MAX_TRACKED_IPS} addresses are tracked per day; a new address past that gets no LLM answers that
 * day (fails closed: an attacker rotating addresses must not lift the owner's spending cap).
 */
final class DailyBudget {
    static final int MAX_TRACKED_IPS = 100_000;

    private static final class Spent {
        long requests;
        long tokens;
    }

    private final ResponderConfig config;
    private final Clock clock;
    private final Map<String, Spent> perIp = new HashMap<>();
    private final Spent global = new Spent();
    private LocalDate day;

    DailyBudget(ResponderConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** Takes one request from both budgets; the name of the exhausted budget when refused. */
    synchronized String tryAcquire(String ip) {
        roll();
        if (global.requests >= config.globalDailyRequests()) {
            return "global daily requests";
        }
        if (global.tokens >= config.globalDailyTokens()) {
            return "global daily tokens";
        }
        Spent s = perIp.get(ip);
        if (s == null) {
            if (perIp.size() >= MAX_TRACKED_IPS) {
                return "tracked addresses";
            }
            s = new Spent();
            perIp.put(ip, s);
        }
        if (s.requests >= config.perIpDailyRequests()) {
            return "per-IP daily requests";
        }
        if (s.tokens >= config.perIpDailyTokens()) {
            return "per-IP daily tokens";
        }
        s.requests++;
        global.requests++;
        return null;
    }

    synchronized void addTokens(String ip, long tokens) {
        roll();
        global.tokens += tokens;
        Spent s = perIp.get(ip);
        if (s != null) {
            s.tokens += tokens;
        }
    }

    private void roll() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        if (!today.equals(day)) {
            day = today;
            perIp.clear();
            global.requests = 0;
            global.tokens = 0;
        }
    }
}
