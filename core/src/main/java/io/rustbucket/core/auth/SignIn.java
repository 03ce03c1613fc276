package io.rustbucket.core.auth;

import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.http.ProblemCode;
import io.rustbucket.core.http.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Password sign-in with guessing protection: failed attempts are limited per client IP and per account name
 * (successful ones cost nothing, so colleagues behind one NAT do not lock each other out), and every failure
 * looks the same (no telling a wrong password from an unknown account).
 */
public final class SignIn {
    private final Accounts accounts;
    private final Sessions sessions;
    private final RateLimiter perIp;
    private final RateLimiter perAccount;

    public SignIn(Accounts accounts, Sessions sessions, AuthConfig config, Clock clock) {
        this.accounts = accounts;
        this.sessions = sessions;
        int rate = config.loginAttemptsPerMinute();
        this.perIp = new RateLimiter(rate, Duration.ofMinutes(1), rate, 100_000, clock);
        this.perAccount = new RateLimiter(rate, Duration.ofMinutes(1), rate, 100_000, clock);
    }

    /**
     * Signs in and starts a session.
     *
     * @throws ApiException 429 with Retry-After when over the attempt limit, 401 for bad credentials
     */
    public Sessions.Issued signIn(String login, String password, String ip, String userAgent) {
        String account = login == null ? "" : login.trim().toLowerCase(Locale.ROOT);
        Optional<Duration> wait = perIp.check(ip).or(() -> perAccount.check(account));
        if (wait.isPresent()) {
            throw ApiException.rateLimited(wait.get());
        }
        Optional<User> user = accounts.authenticate(account, password);
        if (user.isEmpty()) {
            perIp.acquire(ip);
            perAccount.acquire(account);
            throw new ApiException(ProblemCode.INVALID_CREDENTIALS, "invalid username or password");
        }
        perAccount.reset(account);
        return sessions.create(user.get(), ip, userAgent);
    }
}
