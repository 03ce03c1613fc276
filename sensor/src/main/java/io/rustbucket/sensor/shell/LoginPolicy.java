package io.rustbucket.sensor.shell;

import static io.rustbucket.core.config.ConfigException.require;

import java.util.List;
import java.util.Set;

/**
 * Which login attempts succeed (Telnet, SSH, FTP): every attempt is recorded whatever the answer. Table
 * {@code [login]}.
 *
 * @param accept {@code any} (every attempt: see what the attacker does next), {@code none} (collect credentials
 *     only), {@code list} (only {@code credentials}), {@code after} (the {@code attempts}-th try of a session, as
 *     if the attacker finally guessed right)
 * @param credentials {@code user:password} pairs for {@code list}; {@code user:*} takes any password
 * @param attempts for {@code after}
 */
public record LoginPolicy(String accept, List<String> credentials, Integer attempts) {
    static final Set<String> MODES = Set.of("any", "none", "list", "after");

    public LoginPolicy {
        accept = accept == null ? "any" : accept;
        require(MODES.contains(accept), "login.accept", accept, "any, none, list or after");
        credentials = credentials == null ? List.of() : List.copyOf(credentials);
        for (String c : credentials) {
            require(c.indexOf(':') > 0, "login.credentials", c, "user:password entries");
        }
        attempts = attempts == null ? 3 : attempts;
        require(attempts >= 1 && attempts <= 100, "login.attempts", attempts, "1..100");
    }

    public static LoginPolicy defaults() {
        return new LoginPolicy(null, null, null);
    }

    /** @param attempt 1 for the first try of the session */
    public boolean accepts(String user, String password, int attempt) {
        if (user == null || user.isEmpty()) {
            return false;
        }
        return switch (accept) {
            case "any" -> true;
            case "none" -> false;
            case "after" -> attempt >= attempts;
            default -> credentials.contains(user + ":" + password) || credentials.contains(user + ":*");
        };
    }
}
