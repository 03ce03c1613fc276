package io.rustbucket.assistant;

import static io.rustbucket.core.config.ConfigException.require;

/**
 * The {@code [assistant]} table: the OAuth providers ({@code [assistant.github]}, {@code [assistant.apple]}).
 * A provider without a client id is off. Redirect URIs are the platform's public URL plus
 * {@code /api/oauth/<provider>/callback}.
 */
public record AssistantConfig(GitHub github, Apple apple) {
    /**
     * @param authorizeUrl, tokenUrl, apiUrl GitHub's addresses (GitHub Enterprise or a test double elsewhere)
     */
    public record GitHub(String clientId, String clientSecret, String authorizeUrl, String tokenUrl, String apiUrl) {
        public GitHub {
            clientId = blank(clientId);
            clientSecret = blank(clientSecret);
            authorizeUrl = or(authorizeUrl, "https://github.com/login/oauth/authorize");
            tokenUrl = or(tokenUrl, "https://github.com/login/oauth/access_token");
            apiUrl = or(apiUrl, "https://api.github.com");
            require(
                    clientId.isEmpty() || !clientSecret.isEmpty(),
                    "assistant.github.client_secret",
                    "(empty)",
                    "the OAuth app's client secret (or env RUSTBUCKET_GITHUB_CLIENT_SECRET)");
        }

        public boolean enabled() {
            return !clientId.isEmpty();
        }
    }

    /**
     * @param clientId the Services ID
     * @param privateKey the Sign in with Apple key (PKCS#8 PEM, P-256) that signs the client secret
     */
    public record Apple(
            String clientId,
            String teamId,
            String keyId,
            String privateKey,
            String authorizeUrl,
            String tokenUrl,
            String jwksUrl,
            String issuer) {
        public Apple {
            clientId = blank(clientId);
            teamId = blank(teamId);
            keyId = blank(keyId);
            privateKey = blank(privateKey);
            authorizeUrl = or(authorizeUrl, "https://appleid.apple.com/auth/authorize");
            tokenUrl = or(tokenUrl, "https://appleid.apple.com/auth/token");
            jwksUrl = or(jwksUrl, "https://appleid.apple.com/auth/keys");
            issuer = or(issuer, "https://appleid.apple.com");
            require(
                    clientId.isEmpty() || (!teamId.isEmpty() && !keyId.isEmpty() && !privateKey.isEmpty()),
                    "assistant.apple",
                    "(incomplete)",
                    "client_id needs team_id, key_id and private_key");
        }

        public boolean enabled() {
            return !clientId.isEmpty();
        }
    }

    public AssistantConfig {
        github = github == null ? new GitHub(null, null, null, null, null) : github;
        apple = apple == null ? new Apple(null, null, null, null, null, null, null, null) : apple;
    }

    public static AssistantConfig defaults() {
        return new AssistantConfig(null, null);
    }

    private static String blank(String s) {
        return s == null ? "" : s.strip();
    }

    private static String or(String s, String dflt) {
        return s == null || s.isBlank() ? dflt : s.strip().replaceAll("/+$", "");
    }
}
