package io.rustbucket.core.llm;

import io.rustbucket.core.io.BoundedLineReader;
import java.io.IOException;

/** Parses Server-Sent Events (the WHATWG format) into (event, data) pairs; comments and ids are skipped. */
final class SseReader {
    /** Receives one event; returns false to stop reading. */
    interface Handler {
        boolean onEvent(String event, String data) throws IOException;
    }

    private SseReader() {}

    /** Reads events until the stream ends or the handler stops; returns whether the handler stopped it. */
    static boolean read(BoundedLineReader lines, Handler handler) throws IOException {
        String event = "";
        StringBuilder data = null;
        String line;
        while ((line = lines.readLineUtf8()) != null) {
            if (line.isEmpty()) {
                if (data != null && !handler.onEvent(event.isEmpty() ? "message" : event, data.toString())) {
                    return true;
                }
                event = "";
                data = null;
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                event = value;
            } else if (field.equals("data")) {
                data = data == null
                        ? new StringBuilder(value)
                        : data.append('\n').append(value);
            }
        }
        if (data != null) {
            return !handler.onEvent(event.isEmpty() ? "message" : event, data.toString());
        }
        return false;
    }
}
