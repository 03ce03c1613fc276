package io.rustbucket.assistant;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rustbucket.assistant.oauth.Jwt;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.testing.TestHttp;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * GitHub and Apple as far as sign-in goes, on loopback: GitHub's authorize (redirects back with a code), token
 * (checks the client secret and the PKCE verifier), {@code /user} and {@code /user/emails}; Apple's token
 * endpoint (checks the ES256 client secret against the team's public key) answering a real ES256-signed
 * {@code id_token}, and its JWKS. What the id_token says is set per test (expiry, audience, signing key).
 */
final class FakeOAuthServer implements AutoCloseable {
    static final String GITHUB_ID = "gh-client";
    static final String GITHUB_SECRET = "gh-secret";
    static final String APPLE_CLIENT = "io.rustbucket.test";
    static final String APPLE_TEAM = "TEAM123456";
    static final String APPLE_KEY_ID = "KEY123";

    final HttpServer server;
    final KeyPair appleSigning; // Apple's id_token key, published in the JWKS
    final KeyPair teamKey; // the team's key that signs our client secret
    final Map<String, String> challenges = new ConcurrentHashMap<>();
    final Map<String, String> nonces = new ConcurrentHashMap<>();
    volatile Map<String, Object> githubUser = Map.of("id", 777, "login", "octo", "name", "Octo Cat");
    volatile List<Map<String, Object>> githubEmails =
            List.of(Map.of("email", "octo@example.test", "primary", true, "verified", true));
    /** Overrides of the id_token's claims for the next Apple sign-in. */
    volatile Map<String, Object> appleClaims = Map.of();
    /** When set, the id_token is signed with this key instead of the published one. */
    volatile KeyPair appleForger;

    FakeOAuthServer() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        appleSigning = g.generateKeyPair();
        teamKey = g.generateKeyPair();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String teamKeyPem() {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(teamKey.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        Map<String, String> q = parse(ex.getRequestURI().getRawQuery());
        Map<String, String> form = "POST".equals(ex.getRequestMethod())
                ? parse(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                : Map.of();
        switch (path) {
            case "/login/oauth/authorize" -> {
                String code = "code-" + System.nanoTime();
                challenges.put(code, q.get("code_challenge"));
                ex.getResponseHeaders()
                        .set("Location", q.get("redirect_uri") + "?code=" + code + "&state=" + q.get("state"));
                ex.sendResponseHeaders(302, -1);
                ex.close();
            }
            case "/login/oauth/access_token" -> {
                String challenge = challenges.remove(form.getOrDefault("code", ""));
                boolean ok = GITHUB_SECRET.equals(form.get("client_secret"))
                        && challenge != null
                        && challenge.equals(s256(form.getOrDefault("code_verifier", "")));
                json(
                        ex,
                        200,
                        ok
                                ? Map.of("access_token", "gho_token", "token_type", "bearer")
                                : Map.of(
                                        "error",
                                        "bad_verification_code",
                                        "error_description",
                                        "code or verifier wrong"));
            }
            case "/user" -> json(ex, auth(ex) ? 200 : 401, githubUser);
            case "/user/emails" -> json(ex, auth(ex) ? 200 : 401, githubEmails);
            case "/auth/keys" -> json(ex, 200, Map.of("keys", List.of(jwk(appleSigning, APPLE_KEY_ID))));
            case "/auth/token" -> appleToken(ex, form);
            default -> json(ex, 404, Map.of("error", "not_found"));
        }
    }

    private void appleToken(HttpExchange ex, Map<String, String> form) throws IOException {
        Jwt.Parsed secret = Jwt.parse(form.get("client_secret"));
        JsonNodeCheck c = new JsonNodeCheck(secret);
        boolean ok = Jwt.verify(secret, Json.mapper().valueToTree(jwk(teamKey, APPLE_KEY_ID)))
                && APPLE_TEAM.equals(c.claim("iss"))
                && APPLE_CLIENT.equals(c.claim("sub"))
                && "https://appleid.apple.com".equals(c.claim("aud"))
                && APPLE_KEY_ID.equals(secret.header().path("kid").asText());
        if (!ok) {
            json(ex, 400, Map.of("error", "invalid_client"));
            return;
        }
        long now = System.currentTimeMillis() / 1000;
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", url());
        claims.put("aud", APPLE_CLIENT);
        claims.put("sub", "001234.apple-user");
        claims.put("iat", now);
        claims.put("exp", now + 600);
        claims.put("email", "alice@example.test");
        claims.put("email_verified", "true");
        claims.put("nonce", nonces.getOrDefault(form.get("code"), ""));
        claims.putAll(appleClaims);
        KeyPair signer = appleForger != null ? appleForger : appleSigning;
        String idToken = Jwt.signEs256(Map.of("alg", "ES256", "kid", APPLE_KEY_ID), claims, signer.getPrivate());
        json(ex, 200, Map.of("access_token", "a", "token_type", "Bearer", "id_token", idToken));
    }

    private record JsonNodeCheck(Jwt.Parsed t) {
        String claim(String name) {
            return t.claims().path(name).asText();
        }
    }

    static Map<String, Object> jwk(KeyPair k, String kid) {
        ECPublicKey pub = (ECPublicKey) k.getPublic();
        return Map.of(
                "kty",
                "EC",
                "crv",
                "P-256",
                "kid",
                kid,
                "alg",
                "ES256",
                "use",
                "sig",
                "x",
                coord(pub.getW().getAffineX()),
                "y",
                coord(pub.getW().getAffineY()));
    }

    private static String coord(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(32, b.length);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(out);
    }

    private static boolean auth(HttpExchange ex) {
        return "Bearer gho_token".equals(ex.getRequestHeaders().getFirst("Authorization"));
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> parse(String raw) {
        Map<String, String> m = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                m.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    static Map<String, String> query(String url) {
        return parse(URI.create(url).getRawQuery());
    }

    private static void json(HttpExchange ex, int status, Object body) throws IOException {
        TestHttp.reply(ex, status, "application/json", Json.write(body));
    }

    @Override
    public void close() {
        server.stop(0);
    }

    static boolean same(byte[] a, byte[] b) {
        return Arrays.equals(a, b);
    }
}
