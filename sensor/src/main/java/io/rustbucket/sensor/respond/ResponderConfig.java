package io.rustbucket.sensor.respond;

import static io.rustbucket.core.config.ConfigException.require;

import java.time.Duration;

/**
 * The {@code [responder]} table: how far the LLM may be used to answer attackers. Every limit bounds what an
 * attacker can make the sensor's owner pay, or how long an attacker waits for an answer.
 *
 * @param model the configured model name; empty = the platform default; the built-in offline model never answers
 *     attackers (its text would give the sensor away)
 * @param timeoutMs deadline of one LLM answer; past it the fallback is sent
 * @param maxOutputChars an LLM answer longer than this is cut at a line end
 * @param ratePerMinute LLM answers per source IP per minute (GCRA, burst {@code burst})
 * @param perIpDailyRequests LLM answers per source IP per UTC day
 * @param perIpDailyTokens tokens (in + out) per source IP per UTC day
 * @param globalDailyRequests LLM answers per UTC day over all attackers
 * @param globalDailyTokens tokens per UTC day over all attackers
 * @param cacheEntries answers kept in the response cache (least recently used evicted)
 * @param cacheTtlSecs how long a cached answer is reused
 * @param historyTurns recent exchanges of the session sent with a question
 */
public record ResponderConfig(
        String model,
        Integer timeoutMs,
        Integer maxOutputChars,
        Integer ratePerMinute,
        Integer burst,
        Integer perIpDailyRequests,
        Integer perIpDailyTokens,
        Integer globalDailyRequests,
        Long globalDailyTokens,
        Integer cacheEntries,
        Integer cacheTtlSecs,
        Integer historyTurns) {

    public ResponderConfig {
        model = model == null ? "" : model.trim();
        timeoutMs = or(timeoutMs, 3000);
        require(timeoutMs >= 100 && timeoutMs <= 60_000, "responder.timeout_ms", timeoutMs, "100..60000");
        maxOutputChars = or(maxOutputChars, 4000);
        require(
                maxOutputChars >= 100 && maxOutputChars <= 100_000,
                "responder.max_output_chars",
                maxOutputChars,
                "100..100000");
        ratePerMinute = or(ratePerMinute, 10);
        require(ratePerMinute >= 1 && ratePerMinute <= 10_000, "responder.rate_per_minute", ratePerMinute, "1..10000");
        burst = or(burst, 5);
        require(burst >= 1 && burst <= 1000, "responder.burst", burst, "1..1000");
        perIpDailyRequests = or(perIpDailyRequests, 200);
        require(perIpDailyRequests >= 0, "responder.per_ip_daily_requests", perIpDailyRequests, ">= 0");
        perIpDailyTokens = or(perIpDailyTokens, 100_000);
        require(perIpDailyTokens >= 0, "responder.per_ip_daily_tokens", perIpDailyTokens, ">= 0");
        globalDailyRequests = or(globalDailyRequests, 5_000);
        require(globalDailyRequests >= 0, "responder.global_daily_requests", globalDailyRequests, ">= 0");
        globalDailyTokens = globalDailyTokens == null ? 2_000_000L : globalDailyTokens;
        require(globalDailyTokens >= 0, "responder.global_daily_tokens", globalDailyTokens, ">= 0");
        cacheEntries = or(cacheEntries, 10_000);
        require(cacheEntries >= 0 && cacheEntries <= 1_000_000, "responder.cache_entries", cacheEntries, "0..1000000");
        cacheTtlSecs = or(cacheTtlSecs, 86_400);
        require(cacheTtlSecs >= 1, "responder.cache_ttl_secs", cacheTtlSecs, ">= 1");
        historyTurns = or(historyTurns, 8);
        require(historyTurns >= 0 && historyTurns <= 50, "responder.history_turns", historyTurns, "0..50");
    }

    public static ResponderConfig defaults() {
        return new ResponderConfig(null, null, null, null, null, null, null, null, null, null, null, null);
    }

    public Duration timeout() {
        return Duration.ofMillis(timeoutMs);
    }

    private static int or(Integer v, int d) {
        return v == null ? d : v;
    }
}
