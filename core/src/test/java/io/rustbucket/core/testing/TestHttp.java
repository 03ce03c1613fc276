package io.rustbucket.core.testing;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Replies of the HTTP test doubles built on the JDK's HttpServer (fake providers, bots, sensors). */
public final class TestHttp {
    private TestHttp() {}

    /** Sends {@code body} with its type and length (no body at all when it is empty) and ends the exchange. */
    public static void reply(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }
}
