package io.rustbucket.sensor.http;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A parsed HTTP/1.x request. Header names are lower-cased; repeated headers keep every value. */
record HttpRequest(String method, String target, String version, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
        List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    /** HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep it. */
    boolean keepAlive() {
        String c = header("connection");
        String conn = c == null ? "" : c.toLowerCase(Locale.ROOT);
        return version.equals("HTTP/1.1") ? !conn.contains("close") : conn.contains("keep-alive");
    }

    String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }
}
