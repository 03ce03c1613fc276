package io.rustbucket.core.llm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads '\n'-terminated lines (a trailing '\r' dropped) from a provider's stream, decoding UTF-8 only once a line
 * is complete, so frames and multi-byte characters split across TCP writes arrive whole. A line longer than the
 * cap is a protocol error rather than unbounded memory.
 */
final class LineReader {
    static final int MAX_LINE_BYTES = 4 * 1024 * 1024;

    private final InputStream in;
    private final byte[] buf = new byte[8192];
    private int pos;
    private int len;

    LineReader(InputStream in) {
        this.in = in;
    }

    /** Returns the next line, or null at the end of the stream (a final unterminated line is returned too). */
    String readLine() throws IOException {
        ByteArrayOutputStream line = null;
        while (true) {
            if (pos == len) {
                len = in.read(buf);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    return line == null ? null : decode(line.toByteArray());
                }
            }
            int start = pos;
            while (pos < len && buf[pos] != '\n') {
                pos++;
            }
            if (line == null) {
                line = new ByteArrayOutputStream(Math.max(64, pos - start));
            }
            line.write(buf, start, pos - start);
            if (line.size() > MAX_LINE_BYTES) {
                throw new LlmException(
                        LlmException.Kind.PROTOCOL, "stream line longer than " + MAX_LINE_BYTES + " bytes");
            }
            if (pos < len) {
                pos++; // the '\n'
                return decode(line.toByteArray());
            }
        }
    }

    private static String decode(byte[] bytes) {
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') {
            n--;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }
}
