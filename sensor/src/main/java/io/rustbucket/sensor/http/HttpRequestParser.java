package io.rustbucket.sensor.http;

import io.rustbucket.core.io.BoundedLineReader;
import io.rustbucket.core.io.LineTooLongException;
import io.rustbucket.sensor.SensorLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads one HTTP/1.x request with every size bounded: request line by the line limit, all headers by
 * {@code limits.header_max_bytes} and {@link #MAX_HEADERS}, the body by {@code limits.body_max_bytes}. Requests a
 * front end and a back end could read differently (Content-Length with Transfer-Encoding, two different
 * Content-Lengths, a negative or non-numeric length) are refused: no request smuggling through the sensor.
 */
final class HttpRequestParser {
    static final int MAX_HEADERS = 100;
    private static final Pattern REQUEST_LINE = Pattern.compile("([A-Z]{1,20}) (\\S{1,8192}) (HTTP/1\\.[01])");

    private final BoundedLineReader lines;
    private final SensorLimits limits;

    HttpRequestParser(BoundedLineReader lines, SensorLimits limits) {
        this.lines = lines;
        this.limits = limits;
    }

    /** Reads the next request; null when the client closed between requests. */
    HttpRequest read() throws IOException, HttpParseException {
        String first = lines.readLineUtf8();
        while (first != null && first.isEmpty()) {
            first = lines.readLineUtf8(); // tolerated blank lines between requests (RFC 9112 2.2)
        }
        if (first == null) {
            return null;
        }
        var m = REQUEST_LINE.matcher(first);
        if (!m.matches()) {
            throw new HttpParseException(400, "malformed request line");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        int headerBytes = 0;
        String line;
        while (true) {
            try {
                line = lines.readLineUtf8();
            } catch (LineTooLongException e) {
                throw new HttpParseException(431, "header line too long");
            }
            if (line == null) {
                throw new HttpParseException(400, "connection closed in headers");
            }
            if (line.isEmpty()) {
                break;
            }
            headerBytes += line.length() + 2;
            if (headerBytes > limits.headerMaxBytes()
                    || headers.values().stream().mapToInt(List::size).sum() >= MAX_HEADERS) {
                throw new HttpParseException(431, "request header fields too large");
            }
            int colon = line.indexOf(':');
            if (colon <= 0
                    || Character.isWhitespace(line.charAt(colon - 1))
                    || Character.isWhitespace(line.charAt(0))) {
                throw new HttpParseException(400, "malformed header"); // obsolete folding and "name :" are refused
            }
            headers.computeIfAbsent(line.substring(0, colon).toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).strip());
        }
        byte[] body = body(headers);
        return new HttpRequest(m.group(1), m.group(2), m.group(3), headers, body);
    }

    private byte[] body(Map<String, List<String>> headers) throws IOException, HttpParseException {
        List<String> te = headers.get("transfer-encoding");
        List<String> cl = headers.get("content-length");
        if (te != null && cl != null) {
            throw new HttpParseException(400, "both Transfer-Encoding and Content-Length");
        }
        if (te != null) {
            if (te.size() != 1 || !te.getFirst().equalsIgnoreCase("chunked")) {
                throw new HttpParseException(501, "unsupported transfer coding");
            }
            return chunked();
        }
        if (cl == null) {
            return new byte[0];
        }
        if (cl.stream().distinct().count() > 1 || !cl.getFirst().matches("\\d{1,18}")) {
            throw new HttpParseException(400, "invalid Content-Length");
        }
        long length = Long.parseLong(cl.getFirst());
        if (length > limits.bodyMaxBytes()) {
            throw new HttpParseException(413, "request entity too large");
        }
        return readExactly((int) length);
    }

    private byte[] chunked() throws IOException, HttpParseException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = lines.readLineUtf8();
            if (sizeLine == null) {
                throw new HttpParseException(400, "connection closed in chunked body");
            }
            String hex = sizeLine.contains(";") ? sizeLine.substring(0, sizeLine.indexOf(';')) : sizeLine;
            if (!hex.strip().matches("[0-9a-fA-F]{1,8}")) {
                throw new HttpParseException(400, "invalid chunk size");
            }
            int size = Integer.parseInt(hex.strip(), 16);
            if (size == 0) {
                String trailer;
                while ((trailer = lines.readLineUtf8()) != null && !trailer.isEmpty()) {
                    // trailers are read and ignored
                }
                return body.toByteArray();
            }
            if (body.size() + (long) size > limits.bodyMaxBytes()) {
                throw new HttpParseException(413, "request entity too large");
            }
            body.write(readExactly(size));
            String end = lines.readLineUtf8();
            if (end == null || !end.isEmpty()) {
                throw new HttpParseException(400, "chunk not followed by CRLF");
            }
        }
    }

    /** Reads body bytes through the line reader's buffer (bodies may follow headers in the same packet). */
    private byte[] readExactly(int n) throws IOException, HttpParseException {
        byte[] out = lines.readBytes(n);
        if (out.length < n) {
            throw new HttpParseException(400, "connection closed in body");
        }
        return out;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
