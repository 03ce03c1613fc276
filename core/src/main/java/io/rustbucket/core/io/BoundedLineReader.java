package io.rustbucket.core.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads LF-terminated lines (a CR before the LF dropped) from an untrusted stream with a hard cap, so a peer can
 * never make us buffer more than the cap: the sensor's one enforcement point of {@code limits.line_max_bytes},
 * and the framing of model servers' SSE and NDJSON streams. Bytes are kept raw until the caller decodes them,
 * so frames and UTF-8 characters split across TCP writes arrive whole. Read timeouts come from the socket and
 * surface as {@link java.net.SocketTimeoutException}.
 */
public final class BoundedLineReader {
    private final InputStream in;
    private final int maxBytes;
    /**
     * Small, and allocated at the first read: a sensor holds a reader per connection, most of them idle scanners
     * that never send a byte (10,000 of those must stay under 4 KB each).
     */
    private byte[] buf;

    private int pos;
    private int len;

    public BoundedLineReader(InputStream in, int maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /**
     * Returns the next line without its terminator, or null at end of stream (a final unterminated line is
     * returned first).
     *
     * @throws LineTooLongException when more than {@code maxBytes} arrive without a line end
     */
    public byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            if (pos == len) {
                if (buf == null) {
                    buf = new byte[1024];
                }
                len = in.read(buf);
                pos = 0;
                if (len <= 0) {
                    len = 0;
                    return line.size() == 0 ? null : line.toByteArray();
                }
            }
            int start = pos;
            while (pos < len && buf[pos] != '\n') {
                pos++;
            }
            line.write(buf, start, pos - start);
            if (line.size() > maxBytes + 1) { // +1: a CR that the LF will turn out to end
                throw new LineTooLongException(maxBytes, line.size());
            }
            if (pos < len) {
                pos++; // the LF
                byte[] b = line.toByteArray();
                int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                if (n > maxBytes) {
                    throw new LineTooLongException(maxBytes, n);
                }
                return n == b.length ? b : java.util.Arrays.copyOf(b, n);
            }
        }
    }

    /**
     * Reads up to {@code n} raw bytes (a body after its headers), taking buffered bytes first; fewer only at end of
     * stream. Callers bound {@code n} by their own limit first.
     */
    public byte[] readBytes(int n) throws IOException {
        byte[] out = new byte[n];
        int got = Math.min(n, len - pos);
        if (got > 0) {
            System.arraycopy(buf, pos, out, 0, got);
        }
        pos += got;
        while (got < n) {
            int r = in.read(out, got, n - got);
            if (r < 0) {
                return java.util.Arrays.copyOf(out, got);
            }
            got += r;
        }
        return out;
    }

    /** {@link #readLine} decoded as UTF-8, invalid bytes replaced (attackers send anything). */
    public String readLineUtf8() throws IOException {
        byte[] b = readLine();
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
