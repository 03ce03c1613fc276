package io.rustbucket.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustbucket.core.json.Json;
import io.rustbucket.core.testing.TestDatabase;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GitHub and Apple sign-in against fake providers on loopback, with a browser-like cookie jar. */
class OAuthTest {
    FakeOAuthServer idp;
    AssistantFixture f;

    @BeforeEach
    void start() throws Exception {
        idp = new FakeOAuthServer();
        AssistantConfig cfg = new AssistantConfig(
                new AssistantConfig.GitHub(
                        FakeOAuthServer.GITHUB_ID,
                        FakeOAuthServer.GITHUB_SECRET,
                        idp.url() + "/login/oauth/authorize",
                        idp.url() + "/login/oauth/access_token",
                        idp.url()),
                new AssistantConfig.Apple(
                        FakeOAuthServer.APPLE_CLIENT,
                        FakeOAuthServer.APPLE_TEAM,
                        FakeOAuthServer.APPLE_KEY_ID,
                        idp.teamKeyPem(),
                        idp.url() + "/auth/authorize",
                        idp.url() + "/auth/token",
                        idp.url() + "/auth/keys",
                        idp.url()));
        f = new AssistantFixture(TestDatabase.h2(), cfg);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
        idp.close();
    }

    /** A browser: keeps cookies, follows no redirects (the test follows them). */
    static final class Browser {
        final HttpClient http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();

        HttpResponse<String> get(String url) throws Exception {
            return http.send(
                    HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> postForm(String url, Map<String, String> form) throws Exception {
            StringBuilder b = new StringBuilder();
            form.forEach((k, v) -> b.append(b.isEmpty() ? "" : "&")
                    .append(k)
                    .append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return http.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(b.toString()))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        String me(String base) throws Exception {
            HttpResponse<String> r = get(base + "/api/auth/me");
            return r.statusCode() == 200
                    ? Json.mapper().readTree(r.body()).path("user").path("id").asText()
                    : null;
        }
    }

    static String location(HttpResponse<String> r) {
        return r.headers()
                .firstValue("Location")
                .orElseThrow(() -> new AssertionError("no redirect: " + r.statusCode()));
    }

    /** GitHub: start, the provider's redirect, our callback; returns the callback's answer. */
    HttpResponse<String> github(Browser b, Browser callbackFrom) throws Exception {
        HttpResponse<String> start = b.get(f.base + "/api/oauth/github?next=/chat");
        assertThat(start.statusCode()).isEqualTo(302);
        String authorize = location(start);
        assertThat(authorize).startsWith(idp.url() + "/login/oauth/authorize?").contains("code_challenge_method=S256");
        assertThat(FakeOAuthServer.query(authorize).get("redirect_uri"))
                .isEqualTo(f.base + "/api/oauth/github/callback");
        String callback = location(b.get(authorize));
        return callbackFrom.get(callback);
    }

    @Test
    void gitHubSignsInWithPkceAndLinksByVerifiedEmailOnly() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> done = github(b, b);
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(location(done)).isEqualTo("/chat");
        String octo = b.me(f.base);
        assertThat(f.core.accounts().find(octo).orElseThrow().email()).isEqualTo("octo@example.test");
        // The same GitHub account again: the same user, no second account.
        Browser again = new Browser();
        github(again, again);
        assertThat(again.me(f.base)).isEqualTo(octo);

        // Another GitHub account with alice's verified address: linked to alice.
        idp.githubUser = Map.of("id", 900, "login", "alice-gh");
        idp.githubEmails = List.of(Map.of("email", "alice@example.test", "primary", true, "verified", true));
        Browser alice = new Browser();
        github(alice, alice);
        assertThat(alice.me(f.base)).isEqualTo(f.id("alice"));

        // Claiming bob's address without GitHub having verified it: a new account, never bob's.
        idp.githubUser = Map.of("id", 901, "login", "mallory");
        idp.githubEmails = List.of(Map.of("email", "bob@example.test", "primary", true, "verified", false));
        Browser mallory = new Browser();
        github(mallory, mallory);
        assertThat(mallory.me(f.base)).isNotNull().isNotEqualTo(f.id("bob"));
    }

    @Test
    void aGitHubCallbackFromAnotherBrowserIsRefused() throws Exception {
        Browser victim = new Browser();
        HttpResponse<String> done = github(new Browser(), victim); // login CSRF: someone else's code in my browser
        assertThat(location(done)).startsWith("/login?oauth_error=");
        assertThat(victim.me(f.base)).isNull();
    }

    /** Apple: start, then the provider's form_post to our callback. */
    HttpResponse<String> apple(Browser b, String code) throws Exception {
        HttpResponse<String> start = b.get(f.base + "/api/oauth/apple");
        Map<String, String> q = FakeOAuthServer.query(location(start));
        assertThat(q.get("response_mode")).isEqualTo("form_post");
        idp.nonces.put(code, q.get("nonce"));
        return b.postForm(
                f.base + "/api/oauth/apple/callback",
                Map.of(
                        "code",
                        code,
                        "state",
                        q.get("state"),
                        "user",
                        "{\"name\":{\"firstName\":\"Alice\",\"lastName\":\"A\"}}"));
    }

    @Test
    void appleSignsInWithAVerifiedIdTokenAndRefusesBadOnes() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> done = apple(b, "c1");
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(location(done)).isEqualTo("/");
        assertThat(b.me(f.base)).isEqualTo(f.id("alice")); // linked by Apple's verified e-mail

        idp.appleClaims = Map.of("exp", System.currentTimeMillis() / 1000 - 3600);
        assertThat(refusal(apple(new Browser(), "c2"))).contains("expired");
        idp.appleClaims = Map.of("aud", "com.someone.else");
        assertThat(refusal(apple(new Browser(), "c3"))).contains("audience");
        idp.appleClaims = Map.of("iss", "https://evil.example");
        assertThat(refusal(apple(new Browser(), "c4"))).contains("issuer");
        idp.appleClaims = Map.of("nonce", "replayed");
        assertThat(refusal(apple(new Browser(), "c5"))).contains("nonce");
        idp.appleClaims = Map.of();
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        idp.appleForger = g.generateKeyPair(); // right kid, wrong key
        assertThat(refusal(apple(new Browser(), "c6"))).contains("signature");
        idp.appleForger = null;

        // A state is good once.
        Browser c = new Browser();
        Map<String, String> q = FakeOAuthServer.query(location(c.get(f.base + "/api/oauth/apple")));
        idp.nonces.put("c7", q.get("nonce"));
        assertThat(c.postForm(f.base + "/api/oauth/apple/callback", Map.of("code", "c7", "state", q.get("state")))
                        .statusCode())
                .isEqualTo(303);
        assertThat(refusal(c.postForm(
                        f.base + "/api/oauth/apple/callback", Map.of("code", "c7", "state", q.get("state")))))
                .contains("expired or was not started");
    }

    private static String refusal(HttpResponse<String> r) {
        String loc = location(r);
        assertThat(loc).startsWith("/login?oauth_error=");
        return URLDecoder.decode(loc.substring(loc.indexOf('=') + 1), StandardCharsets.UTF_8);
    }
}
