package io.rustbucket.sensor.http;

import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.listen.Connection;
import io.rustbucket.sensor.listen.ProtocolHandler;
import io.rustbucket.sensor.manage.ManagementApi;
import io.rustbucket.sensor.record.EventAction;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An HTTP/1.x server that answers like nginx on Ubuntu: keep-alive, its Server header and error pages, and
 * templates for the paths scanners probe first ({@code /}, {@code /robots.txt}, {@code /wp-login.php},
 * {@code /admin}, dotfiles). Credentials sent to the login page or as Basic auth are recorded. Every request is
 * recorded with method, URL, user agent, body and the status sent.
 */
public final class HttpHandler implements ProtocolHandler {
    static final int MAX_REQUESTS_PER_CONNECTION = 100;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    /** A reply before encoding. */
    record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Reply html(int status, String body) {
            return new Reply(status, "text/html", body.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    private final String server;
    private final SensorLimits limits;
    private final Clock clock;
    private final ManagementApi management;

    /** @param server the Server header and error-page signature, e.g. {@code nginx/1.18.0 (Ubuntu)} */
    public HttpHandler(String server, SensorLimits limits, Clock clock) {
        this(server, limits, clock, null);
    }

    /**
     * @param management answers the registry's polls on this port for a valid key (older registries poll plain
     *     {@code http://{ip}/...}); null = deception pages only
     */
    public HttpHandler(String server, SensorLimits limits, Clock clock, ManagementApi management) {
        this.server = server;
        this.limits = limits;
        this.clock = clock;
        this.management = management;
    }

    @Override
    public void handle(Connection c) throws IOException {
        HttpRequestParser parser = new HttpRequestParser(c.lines(), limits);
        for (int n = 0; n < MAX_REQUESTS_PER_CONNECTION; n++) {
            HttpRequest req;
            try {
                req = parser.read();
            } catch (HttpParseException e) {
                Reply r = errorPage(e.status());
                c.record(c.event(EventAction.PROTOCOL_ERROR)
                        .level("WARN")
                        .message("refused request: " + e.getMessage())
                        .response(String.valueOf(e.status()), "emulator", 0)
                        .build());
                write(c, r, false, false);
                c.lingeringClose();
                return;
            } catch (SocketTimeoutException e) {
                return; // nginx closes idle keep-alive connections without a word
            }
            if (req == null) {
                return;
            }
            if (management != null && ManagementApi.isManagementPath(req.path())) {
                var m = management.answer(req.method(), req.target(), req.header("authorization"));
                if (m.isPresent()) { // the registry, not an attacker: answered, not recorded as an attack
                    write(
                            c,
                            new Reply(
                                    m.get().status(),
                                    m.get().contentType(),
                                    m.get().body(),
                                    m.get().headers()),
                            req.keepAlive(),
                            req.method().equals("HEAD"));
                    if (!req.keepAlive()) {
                        return;
                    }
                    continue;
                }
            }
            long t0 = System.nanoTime();
            Reply reply = route(c, req);
            boolean keep = req.keepAlive() && n + 1 < MAX_REQUESTS_PER_CONNECTION;
            write(c, reply, keep, req.method().equals("HEAD"));
            c.record(c.event(EventAction.HTTP_REQUEST)
                    .http(req.method(), req.target(), req.header("user-agent"))
                    .input(req.body().length == 0 ? null : HttpRequestParser.utf8(req.body()))
                    .response(String.valueOf(reply.status()), "emulator", (System.nanoTime() - t0) / 1_000_000)
                    .message(req.method() + " " + req.target() + " -> " + reply.status())
                    .build());
            if (!keep) {
                return;
            }
        }
    }

    private Reply route(Connection c, HttpRequest req) {
        String path = req.path();
        boolean readOnly = req.method().equals("GET") || req.method().equals("HEAD");
        if (path.startsWith("/admin")) {
            basicAuth(c, req);
            return new Reply(
                    401,
                    "text/html",
                    errorBody(401).getBytes(StandardCharsets.UTF_8),
                    Map.of("WWW-Authenticate", "Basic realm=\"Restricted\""));
        }
        if (path.equals("/wp-login.php")) {
            if (req.method().equals("POST")) {
                Map<String, String> form = form(HttpRequestParser.utf8(req.body()));
                c.record(c.event(EventAction.LOGIN_ATTEMPT)
                        .user(form.getOrDefault("log", ""), form.getOrDefault("pwd", ""))
                        .input("POST /wp-login.php")
                        .response("200", "emulator", 0)
                        .build());
                return Reply.html(
                        200,
                        HttpTemplates.wpLogin(
                                "<strong>Error:</strong> The password you entered for the username is incorrect."));
            }
            return readOnly ? Reply.html(200, HttpTemplates.wpLogin("")) : errorPage(405);
        }
        if (path.contains("/.")) {
            return errorPage(403); // nginx setups deny dotfiles (.env, .git): a scanner sees them exist
        }
        if (!readOnly && !req.method().equals("POST")) {
            return errorPage(405);
        }
        return switch (path) {
            case "/", "/index.html", "/index.nginx-debian.html" -> Reply.html(200, HttpTemplates.welcome());
            case "/robots.txt" ->
                new Reply(
                        200,
                        "text/plain",
                        "User-agent: *\nDisallow: /admin/\n".getBytes(StandardCharsets.UTF_8),
                        Map.of());
            default -> errorPage(404);
        };
    }

    private static void basicAuth(Connection c, HttpRequest req) {
        String auth = req.header("authorization");
        if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded;
            try {
                decoded =
                        new String(Base64.getDecoder().decode(auth.substring(6).strip()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                decoded = "<invalid base64>:";
            }
            int colon = decoded.indexOf(':');
            c.record(c.event(EventAction.LOGIN_ATTEMPT)
                    .user(
                            colon < 0 ? decoded : decoded.substring(0, colon),
                            colon < 0 ? "" : decoded.substring(colon + 1))
                    .input(req.method() + " " + req.target())
                    .response("401", "emulator", 0)
                    .build());
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    m.put(
                            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException badEscape) {
                    m.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return m;
    }

    private Reply errorPage(int status) {
        return Reply.html(status, errorBody(status));
    }

    private String errorBody(int status) {
        String line = status + " " + HttpTemplates.reason(status);
        return "<html>\r\n<head><title>" + line + "</title></head>\r\n<body>\r\n<center><h1>" + line
                + "</h1></center>\r\n<hr><center>" + server + "</center>\r\n</body>\r\n</html>\r\n";
    }

    /** The formatted date of the current second: formatting it per response was a visible cost under load. */
    private record DateLine(long second, String text) {}

    private volatile DateLine date = new DateLine(Long.MIN_VALUE, "");

    private String httpDate() {
        java.time.Instant now = clock.instant();
        DateLine d = date;
        if (d.second() != now.getEpochSecond()) {
            d = new DateLine(now.getEpochSecond(), HTTP_DATE.format(now));
            date = d;
        }
        return d.text();
    }

    private void write(Connection c, Reply r, boolean keepAlive, boolean head) throws IOException {
        byte[] body = r.body();
        StringBuilder h = new StringBuilder("HTTP/1.1 ")
                .append(r.status())
                .append(' ')
                .append(HttpTemplates.reason(r.status()))
                .append("\r\n");
        h.append("Server: ").append(server).append("\r\n");
        h.append("Date: ").append(httpDate()).append("\r\n");
        h.append("Content-Type: ").append(r.contentType()).append("\r\n");
        h.append("Content-Length: ").append(body.length).append("\r\n");
        h.append("Connection: ").append(keepAlive ? "keep-alive" : "close").append("\r\n");
        r.headers().forEach((k, v) -> h.append(k).append(": ").append(v).append("\r\n"));
        h.append("\r\n");
        byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
        if (head) {
            c.sendBytes(header);
            return;
        }
        byte[] whole = java.util.Arrays.copyOf(header, header.length + body.length);
        System.arraycopy(body, 0, whole, header.length, body.length);
        c.sendBytes(whole); // one write and one segment, as nginx's writev: headers and a small page together
    }
}
