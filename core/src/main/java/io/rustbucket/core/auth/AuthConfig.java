package io.rustbucket.core.auth;

import static io.rustbucket.core.config.ConfigException.require;

import java.time.Duration;

/**
 * The {@code [auth]} table.
 *
 * @param sessionIdleMinutes a session unused this long expires
 * @param sessionAbsoluteHours a session expires this long after sign-in, however active (limits a stolen cookie)
 * @param maxSessionsPerUser signing in beyond this ends the user's oldest session
 * @param secureCookies mark cookies Secure (set when the platform is served over HTTPS)
 * @param loginAttemptsPerMinute per IP and per account name; more get 429 (stops password guessing)
 */
public record AuthConfig(
        Integer sessionIdleMinutes,
        Integer sessionAbsoluteHours,
        Integer maxSessionsPerUser,
        Boolean secureCookies,
        Integer loginAttemptsPerMinute) {
    public AuthConfig {
        sessionIdleMinutes = sessionIdleMinutes == null ? 120 : sessionIdleMinutes;
        require(
                sessionIdleMinutes >= 1 && sessionIdleMinutes <= 43200,
                "auth.session_idle_minutes",
                sessionIdleMinutes,
                "1..43200");
        sessionAbsoluteHours = sessionAbsoluteHours == null ? 168 : sessionAbsoluteHours;
        require(
                sessionAbsoluteHours >= 1 && sessionAbsoluteHours <= 8760,
                "auth.session_absolute_hours",
                sessionAbsoluteHours,
                "1..8760");
        maxSessionsPerUser = maxSessionsPerUser == null ? 10 : maxSessionsPerUser;
        require(
                maxSessionsPerUser >= 1 && maxSessionsPerUser <= 1000,
                "auth.max_sessions_per_user",
                maxSessionsPerUser,
                "1..1000");
        secureCookies = secureCookies != null && secureCookies;
        loginAttemptsPerMinute = loginAttemptsPerMinute == null ? 10 : loginAttemptsPerMinute;
        require(
                loginAttemptsPerMinute >= 1 && loginAttemptsPerMinute <= 10000,
                "auth.login_attempts_per_minute",
                loginAttemptsPerMinute,
                "1..10000");
    }

    public static AuthConfig defaults() {
        return new AuthConfig(null, null, null, null, null);
    }

    public Duration sessionIdle() {
        return Duration.ofMinutes(sessionIdleMinutes);
    }

    public Duration sessionAbsolute() {
        return Duration.ofHours(sessionAbsoluteHours);
    }
}
