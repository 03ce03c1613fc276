package io.rustbucket.core.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/** Browser sessions for API tests: signs in over HTTP and keeps what a browser would send back. */
public final class TestSessions {
    /** The {@code Cookie} header of the session and the CSRF token that goes in {@code X-CSRF-TOKEN}. */
    public record Session(String cookieHeader, String csrf) {}

    private TestSessions() {}

    /** Signs in with {@code POST /api/auth/login}; fails the test when the platform refuses. */
    public static Session signIn(HttpClient client, String base, String user, String password) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, String> cookies = new LinkedHashMap<>();
        for (String c : r.headers().allValues("Set-Cookie")) {
            String pair = c.split(";", 2)[0];
            cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
        }
        if (!cookies.containsKey("rb_session")) {
            throw new IllegalStateException("sign-in failed: " + r.statusCode() + " " + r.body());
        }
        return new Session(
                "rb_session=" + cookies.get("rb_session") + "; rb_csrf=" + cookies.get("rb_csrf"),
                cookies.get("rb_csrf"));
    }
}
