package io.rustbucket.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustbucket.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void allowsTheBurstThenAsksToWaitOneInterval() {
        RateLimiter l = new RateLimiter(10, Duration.ofMinutes(1), 10, 100, clock);
        for (int i = 0; i < 10; i++) {
            assertThat(l.acquire("ip")).as("attempt %d", i + 1).isEmpty();
        }
        assertThat(l.acquire("ip")).contains(Duration.ofSeconds(6));
        assertThat(l.acquire("other")).isEmpty();
        clock.advance(Duration.ofSeconds(6));
        assertThat(l.acquire("ip")).isEmpty();
        assertThat(l.acquire("ip")).isPresent();
    }

    @Test
    void checkPeeksWithoutRecording() {
        RateLimiter l = new RateLimiter(1, Duration.ofMinutes(1), 1, 100, clock);
        assertThat(l.check("a")).isEmpty();
        assertThat(l.check("a")).isEmpty();
        l.acquire("a");
        assertThat(l.check("a")).contains(Duration.ofMinutes(1));
    }

    @Test
    void resetForgetsAKey() {
        RateLimiter l = new RateLimiter(1, Duration.ofMinutes(1), 1, 100, clock);
        l.acquire("a");
        assertThat(l.acquire("a")).isPresent();
        l.reset("a");
        assertThat(l.acquire("a")).isEmpty();
    }

    @Test
    void whenFullOfLiveKeysNewKeysPassUntrackedAndAreCounted() {
        RateLimiter l = new RateLimiter(1, Duration.ofMinutes(1), 1, 2, clock);
        l.acquire("a");
        l.acquire("b");
        assertThat(l.acquire("c")).isEmpty();
        assertThat(l.untracked()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(2));
        assertThat(l.acquire("c")).isEmpty();
        assertThat(l.acquire("c")).isPresent(); // idle keys were dropped, so c is tracked now
    }
}
