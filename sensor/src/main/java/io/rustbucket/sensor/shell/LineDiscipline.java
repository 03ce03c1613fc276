package io.rustbucket.sensor.shell;

import io.rustbucket.core.io.LineTooLongException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a terminal's line discipline does for a remote shell (Telnet, SSH with a pty): echo, backspace, Ctrl-C,
 * Ctrl-D, arrow keys ignored, lines ended by CR (never waiting for what may follow it), CR LF, CR NUL or LF, and bounded length.
 */
public final class LineDiscipline {
    /** Returned by {@link #readLine} when the user pressed Ctrl-C: the line is discarded. */
    public static final String INTERRUPTED = "\u0000^C";

    private final InputStream in;
    private final OutputStream out;
    private final int maxBytes;
    /** The last line ended with CR: an LF or NUL right after it belongs to that line end (a bare CR is a pty's). */
    private boolean afterCr;

    public LineDiscipline(InputStream in, OutputStream out, int maxBytes) {
        this.in = in;
        this.out = out;
        this.maxBytes = maxBytes;
    }

    /** One line; null at end of input or Ctrl-D on an empty line. */
    public String readLine(boolean echo) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            if (b == 0 && afterCr) {
                afterCr = false;
                continue; // Telnet's CR NUL
            }
            if (b != '\n') {
                afterCr = false;
            }
            switch (b) {
                case '\r', '\n' -> {
                    if (b == '\n' && afterCr) {
                        afterCr = false;
                        continue; // the LF of a CR LF pair
                    }
                    afterCr = b == '\r';
                    if (echo) {
                        echoed.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    flush(echoed);
                    return line.toString(StandardCharsets.UTF_8);
                }
                case 0x08, 0x7f -> {
                    if (line.size() > 0) {
                        byte[] kept = line.toByteArray();
                        line.reset();
                        line.write(kept, 0, kept.length - 1);
                        if (echo) {
                            echoed.writeBytes("\b \b".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                }
                case 0x03 -> {
                    echoed.writeBytes("^C\r\n".getBytes(StandardCharsets.US_ASCII));
                    flush(echoed);
                    return INTERRUPTED;
                }
                case 0x04 -> {
                    if (line.size() == 0) {
                        return null;
                    }
                }
                case 0x1b -> { // escape sequence (arrow keys): there is no history recall to show
                    int next = in.read();
                    if (next == '[' || next == 'O') {
                        in.read();
                    }
                }
                default -> {
                    if (b >= 0x20 || b == '\t') {
                        if (line.size() >= maxBytes) {
                            throw new LineTooLongException(maxBytes, line.size() + 1);
                        }
                        line.write(b);
                        if (echo) {
                            echoed.write(b);
                        }
                    }
                }
            }
            // echo in the batches the client sent, not one packet per character
            if (in.available() == 0) {
                flush(echoed);
            }
        }
    }

    private void flush(ByteArrayOutputStream echoed) throws IOException {
        if (echoed.size() > 0) {
            out.write(echoed.toByteArray());
            out.flush();
            echoed.reset();
        }
    }

    /** Terminal output: every LF becomes CR LF. */
    public static byte[] crlf(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 16);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(b[i]);
        }
        return out.toByteArray();
    }

    public static String crlf(String s) {
        return new String(crlf(s.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }
}
