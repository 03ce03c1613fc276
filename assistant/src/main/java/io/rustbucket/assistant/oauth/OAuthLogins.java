package io.rustbucket.assistant.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.assistant.AssistantConfig;
import io.rustbucket.core.auth.AccountExistsException;
import io.rustbucket.core.auth.Accounts;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.auth.SecretTokens;
import io.rustbucket.core.auth.User;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.sql.Database;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-in with GitHub (authorization code + state + PKCE; the user from {@code /user}, the e-mail from
 * {@code /user/emails}, verified only) and Apple ({@code form_post} callback; the client secret an ES256 JWT
 * signed with the team's key; the {@code id_token} verified against Apple's JWKS: signature, issuer, audience,
 * expiry, nonce). A provider account is linked to the platform user with the same verified e-mail, else a new
 * viewer account is made. Pending logins live ten minutes, at most {@link #MAX_PENDING} at a time.
 */
public final class OAuthLogins {
    public static final Duration PENDING_FOR = Duration.ofMinutes(10);
    public static final int MAX_PENDING = 10_000;
    static final int MAX_ANSWER_BYTES = 1024 * 1024;

    /** Why a sign-in failed, in words for the sign-in page. */
    public static final class Failed extends RuntimeException {
        public Failed(String message) {
            super(message, null, false, false);
        }
    }

    /** A login on its way: what the callback must match. */
    record Pending(String provider, String verifier, String nonce, String next, Instant at) {}

    /** Where to send the browser, and the state to remember (bound to the browser by a cookie for GitHub). */
    public record Start(String location, String state) {}

    private final AssistantConfig config;
    private final Accounts accounts;
    private final Database db;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    private volatile JsonNode appleKeys;
    private volatile Instant appleKeysAt = Instant.EPOCH;

    public OAuthLogins(AssistantConfig config, Accounts accounts, Database db, Clock clock) {
        this.config = config;
        this.accounts = accounts;
        this.db = db;
        this.clock = clock;
    }

    public boolean github() {
        return config.github().enabled();
    }

    public boolean apple() {
        return config.apple().enabled();
    }

    public Start startGitHub(String redirectUri, String next) {
        String verifier = SecretTokens.generate("", 32);
        String state = remember("github", verifier, null, next);
        var g = config.github();
        return new Start(
                g.authorizeUrl() + "?"
                        + form(Map.of(
                                "client_id",
                                g.clientId(),
                                "redirect_uri",
                                redirectUri,
                                "scope",
                                "read:user user:email",
                                "state",
                                state,
                                "code_challenge",
                                challenge(verifier),
                                "code_challenge_method",
                                "S256")),
                state);
    }

    public Start startApple(String redirectUri, String next) {
        String nonce = SecretTokens.generate("", 16);
        String state = remember("apple", null, nonce, next);
        var a = config.apple();
        return new Start(
                a.authorizeUrl() + "?"
                        + form(Map.of(
                                "response_type",
                                "code",
                                "response_mode",
                                "form_post",
                                "client_id",
                                a.clientId(),
                                "redirect_uri",
                                redirectUri,
                                "scope",
                                "name email",
                                "state",
                                state,
                                "nonce",
                                nonce)),
                state);
    }

    /** The GitHub callback: the signed-in user and where to go next. */
    public Map.Entry<User, String> finishGitHub(String code, String state, String stateCookie, String redirectUri) {
        Pending p = take(state, "github");
        if (stateCookie == null || !SecretTokens.equal(stateCookie, state)) {
            throw new Failed("the sign-in did not start in this browser");
        }
        var g = config.github();
        JsonNode token = postForm(
                g.tokenUrl(),
                Map.of(
                        "client_id", g.clientId(),
                        "client_secret", g.clientSecret(),
                        "code", required(code, "code"),
                        "redirect_uri", redirectUri,
                        "code_verifier", p.verifier()));
        String access = token.path("access_token").asText("");
        if (access.isEmpty()) {
            throw new Failed("GitHub refused the code: "
                    + token.path("error_description").asText(token.path("error").asText("no token")));
        }
        JsonNode user = get(g.apiUrl() + "/user", access);
        JsonNode emails = get(g.apiUrl() + "/user/emails", access);
        String email = null;
        for (JsonNode e : emails) {
            if (e.path("verified").asBoolean(false)
                    && (email == null || e.path("primary").asBoolean(false))) {
                email = e.path("email").asText();
            }
        }
        String subject = user.path("id").asText("");
        if (subject.isEmpty()) {
            throw new Failed("GitHub did not say who you are");
        }
        User u = link(
                "github",
                subject,
                email,
                user.path("login").asText(""),
                user.path("name").asText(""));
        return Map.entry(u, p.next());
    }

    /** The Apple callback ({@code form_post}): the signed-in user and where to go next. */
    public Map.Entry<User, String> finishApple(String code, String state, String userJson, String redirectUri) {
        Pending p = take(state, "apple");
        var a = config.apple();
        JsonNode token = postForm(
                a.tokenUrl(),
                Map.of(
                        "client_id", a.clientId(),
                        "client_secret", appleClientSecret(),
                        "code", required(code, "code"),
                        "grant_type", "authorization_code",
                        "redirect_uri", redirectUri));
        String idToken = token.path("id_token").asText("");
        if (idToken.isEmpty()) {
            throw new Failed("Apple refused the code: " + token.path("error").asText("no id_token"));
        }
        JsonNode claims = verifyAppleIdToken(idToken, p.nonce());
        String email = claims.path("email_verified").asText("false").equals("true")
                ? claims.path("email").asText(null)
                : null;
        String name = "";
        if (userJson != null && !userJson.isBlank() && userJson.length() < 4096) { // only on the first sign-in
            try {
                JsonNode n = Json.mapper().readTree(userJson).path("name");
                name = (n.path("firstName").asText("") + " "
                                + n.path("lastName").asText(""))
                        .strip();
            } catch (IOException ignored) {
                name = "";
            }
        }
        User u = link("apple", claims.path("sub").asText(), email, "", name);
        return Map.entry(u, p.next());
    }

    /** Checks an Apple id_token: a known key, the signature, issuer, audience, expiry and our nonce. */
    JsonNode verifyAppleIdToken(String idToken, String nonce) {
        Jwt.Parsed t;
        try {
            t = Jwt.parse(idToken);
        } catch (IllegalArgumentException e) {
            throw new Failed("Apple's token is malformed");
        }
        String kid = t.header().path("kid").asText("");
        JsonNode key = appleKey(kid, false)
                .or(() -> appleKey(kid, true)) // a rotated key: fetch once more
                .orElseThrow(() -> new Failed("Apple's token is signed with an unknown key"));
        if (!Jwt.verify(t, key)) {
            throw new Failed("Apple's token has a bad signature");
        }
        JsonNode c = t.claims();
        long now = clock.instant().getEpochSecond();
        if (!config.apple().issuer().equals(c.path("iss").asText())) {
            throw new Failed("Apple's token has the wrong issuer");
        }
        if (!config.apple().clientId().equals(c.path("aud").asText())) {
            throw new Failed("Apple's token is for another audience");
        }
        if (c.path("exp").asLong(0) <= now - 60) {
            throw new Failed("Apple's token has expired");
        }
        if (nonce != null && !nonce.equals(c.path("nonce").asText())) {
            throw new Failed("Apple's token does not answer this sign-in (nonce)");
        }
        if (c.path("sub").asText("").isEmpty()) {
            throw new Failed("Apple's token has no subject");
        }
        return c;
    }

    /** The client secret Apple expects: an ES256 JWT by the team, for the Services ID, valid ten minutes. */
    String appleClientSecret() {
        var a = config.apple();
        PrivateKey key = Jwt.ecPrivateKey(a.privateKey());
        long now = clock.instant().getEpochSecond();
        return Jwt.signEs256(
                Map.of("alg", "ES256", "kid", a.keyId()),
                Map.of(
                        "iss",
                        a.teamId(),
                        "iat",
                        now,
                        "exp",
                        now + 600,
                        "aud",
                        "https://appleid.apple.com",
                        "sub",
                        a.clientId()),
                key);
    }

    private Optional<JsonNode> appleKey(String kid, boolean refresh) {
        if (refresh
                || appleKeys == null
                || Duration.between(appleKeysAt, clock.instant()).toHours() >= 24) {
            appleKeys = get(config.apple().jwksUrl(), null).path("keys");
            appleKeysAt = clock.instant();
        }
        for (JsonNode k : appleKeys) {
            if (kid.equals(k.path("kid").asText())) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** The platform user of a provider account: linked before, else by verified e-mail, else a new viewer. */
    User link(String provider, String subject, String email, String login, String displayName) {
        Optional<String> linked = db.withHandle(
                h -> h.createQuery("SELECT user_id FROM oauth_identities WHERE provider = :p AND subject = :s")
                        .bind("p", provider)
                        .bind("s", subject)
                        .mapTo(String.class)
                        .findOne());
        if (linked.isPresent()) {
            return active(accounts.find(linked.get()));
        }
        User user = null;
        if (email != null && !email.isBlank()) {
            user = accounts.findByLogin(email.toLowerCase(Locale.ROOT)).orElse(null);
        }
        if (user == null) {
            user = create(email, login, displayName, provider);
        }
        User u = active(Optional.of(user));
        db.useHandle(h -> h.createUpdate("INSERT INTO oauth_identities (provider, subject, user_id, email, created_at) "
                        + "VALUES (:p, :s, :u, :e, :now)")
                .bind("p", provider)
                .bind("s", subject)
                .bind("u", u.id())
                .bind("e", email)
                .bind("now", clock.instant())
                .execute());
        return u;
    }

    private User create(String email, String login, String displayName, String provider) {
        String base = (login != null && !login.isBlank()
                        ? login
                        : email != null ? email.split("@")[0] : provider + "-user")
                .toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9._-]", "-")
                .replaceAll("^[^a-z0-9]+", "");
        base = base.isEmpty() ? provider + "-user" : base.length() > 50 ? base.substring(0, 50) : base;
        for (int i = 0; i < 50; i++) {
            String name = i == 0 ? base : base + "-" + (i + 1);
            try {
                // No usable password: this account signs in through its provider (an admin can set one).
                return accounts.create(
                        name,
                        email,
                        displayName == null || displayName.isBlank() ? name : displayName,
                        SecretTokens.generate("", 32),
                        EnumSet.of(Role.VIEWER),
                        false);
            } catch (AccountExistsException e) {
                if (email != null && accounts.findByLogin(email).isPresent()) {
                    return accounts.findByLogin(email).get();
                }
            }
        }
        throw new Failed("could not choose a user name");
    }

    private static User active(Optional<User> u) {
        if (u.isEmpty() || u.get().disabled()) {
            throw new Failed("this account is disabled");
        }
        return u.get();
    }

    private String remember(String provider, String verifier, String nonce, String next) {
        Instant now = clock.instant();
        pending.values().removeIf(p -> Duration.between(p.at(), now).compareTo(PENDING_FOR) > 0);
        if (pending.size() >= MAX_PENDING) {
            throw new Failed("too many sign-ins in progress; try again in a few minutes");
        }
        String state = SecretTokens.generate("", 24);
        pending.put(state, new Pending(provider, verifier, nonce, next, now));
        return state;
    }

    private Pending take(String state, String provider) {
        Pending p = state == null ? null : pending.remove(state);
        if (p == null
                || !p.provider().equals(provider)
                || Duration.between(p.at(), clock.instant()).compareTo(PENDING_FOR) > 0) {
            throw new Failed("the sign-in expired or was not started here; try again");
        }
        return p;
    }

    private JsonNode postForm(String url, Map<String, String> fields) {
        return send(HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields)))
                .build());
    }

    private JsonNode get(String url, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(15))
                .header("Accept", "application/json")
                .header("User-Agent", "rustbucket")
                .GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b.build());
    }

    private JsonNode send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            if (r.body().length > MAX_ANSWER_BYTES) {
                throw new Failed("the provider's answer is too large");
            }
            if (r.statusCode() >= 500) {
                throw new Failed("the provider is not answering (HTTP " + r.statusCode() + ")");
            }
            JsonNode body = Json.mapper().readTree(r.body());
            if (r.statusCode() >= 400 && (body == null || !body.has("error"))) {
                throw new Failed("the provider refused (HTTP " + r.statusCode() + ")");
            }
            return body == null ? Json.mapper().createObjectNode() : body;
        } catch (IOException e) {
            throw new Failed("the provider cannot be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        }
    }

    static String challenge(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String form(Map<String, String> fields) {
        StringBuilder b = new StringBuilder();
        new LinkedHashMap<>(fields)
                .forEach((k, v) -> b.append(b.isEmpty() ? "" : "&")
                        .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                        .append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return b.toString();
    }

    private static String required(String v, String name) {
        if (v == null || v.isBlank() || v.length() > 2048) {
            throw new Failed("the provider sent no " + name);
        }
        return v;
    }
}
