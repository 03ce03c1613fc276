package io.rustbucket.alerts.notify;

import static io.rustbucket.core.config.ConfigException.require;

import com.fasterxml.jackson.annotation.JsonCreator;
import io.rustbucket.alerts.incident.Severity;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code [alerts.email]} table. Present when {@code host} is set.
 *
 * @param tls {@code implicit} (port 465), {@code starttls} (required) or {@code none}; default by port
 * @param trustHosts hosts whose certificate is trusted without a CA (a relay with a self-signed certificate)
 */
public record EmailConfig(
        String host,
        Integer port,
        Tls tls,
        String username,
        String password,
        String from,
        List<String> to,
        Severity minSeverity,
        Set<String> kinds,
        Boolean notifyResolved,
        List<String> trustHosts,
        Integer timeoutSecs) {

    public enum Tls {
        IMPLICIT,
        STARTTLS,
        NONE;

        @JsonCreator
        public static Tls parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException("alerts.email.tls must be implicit, starttls or none, got " + s);
            }
        }
    }

    public EmailConfig {
        host = host == null ? "" : host.strip();
        port = port == null ? 587 : port;
        require(port >= 1 && port <= 65535, "alerts.email.port", port, "1..65535");
        tls = tls != null ? tls : port == 465 ? Tls.IMPLICIT : Tls.STARTTLS;
        username = username == null || username.isBlank() ? null : username;
        to = to == null ? List.of() : List.copyOf(to);
        trustHosts = trustHosts == null ? List.of() : List.copyOf(trustHosts);
        timeoutSecs = timeoutSecs == null ? 15 : timeoutSecs;
        require(timeoutSecs >= 1 && timeoutSecs <= 300, "alerts.email.timeout_secs", timeoutSecs, "1..300");
        notifyResolved = notifyResolved == null || notifyResolved;
        if (!host.isEmpty()) {
            require(from != null && from.contains("@"), "alerts.email.from", from, "a sender address");
            require(!to.isEmpty(), "alerts.email.to", to, "one or more recipient addresses");
            for (String a : to) {
                require(a != null && a.contains("@"), "alerts.email.to", a, "e-mail addresses");
            }
        }
    }

    public boolean enabled() {
        return !host.isEmpty();
    }

    public Route route() {
        return new Route(minSeverity, kinds, notifyResolved);
    }
}
