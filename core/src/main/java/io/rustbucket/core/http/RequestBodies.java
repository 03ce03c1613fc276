package io.rustbucket.core.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;

/**
 * The one place request bodies are read: a declared Content-Length over the limit is refused before reading,
 * and a chunked body is read only up to the limit, so no client can make the server buffer more than it allows.
 */
public final class RequestBodies {
    private RequestBodies() {}

    /**
     * Reads the whole body.
     *
     * @throws ApiException 413 when the body is larger than {@code maxBytes}, 400 when it cannot be read
     */
    public static byte[] read(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            if (declared <= maxBytes + DRAIN_BYTES) {
                drain(ctx);
            }
            throw tooLarge(maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (body.length > maxBytes) {
                drain(ctx);
                throw tooLarge(maxBytes);
            }
            return body;
        } catch (IOException e) {
            throw ApiException.validation("request body could not be read");
        }
    }

    /**
     * How much of a refused body is read and thrown away so that the client hears the 413. A server that answers
     * and closes with the client's bytes still unread makes the kernel reset the connection, and a client still
     * writing its body then sees "connection reset" or "broken pipe" instead of the answer. Beyond this, the
     * connection is closed and the reset is the answer: the server reads no more for a client that sends too much.
     */
    static final long DRAIN_BYTES = 1024 * 1024;

    private static void drain(Context ctx) {
        try {
            InputStream in = ctx.req().getInputStream();
            byte[] sink = new byte[16 * 1024];
            long left = DRAIN_BYTES;
            for (int n; left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0; ) {
                left -= n;
            }
        } catch (IOException e) { // the client went away or stalled: nothing left to answer
        }
    }

    /** Reads a JSON body into a type; malformed JSON is a 400 naming the problem, never a stack trace. */
    public static <T> T json(Context ctx, long maxBytes, Class<T> type) {
        byte[] body = read(ctx, maxBytes);
        if (body.length == 0) {
            throw ApiException.validation("request body is empty; expected JSON");
        }
        try {
            return io.rustbucket.core.json.Json.mapper().readValue(body, type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.validation("invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.validation("invalid JSON");
        }
    }

    private static ApiException tooLarge(long maxBytes) {
        return new ApiException(
                ProblemCode.PAYLOAD_TOO_LARGE,
                "request body exceeds " + maxBytes + " bytes",
                java.util.Map.of("max_bytes", maxBytes),
                null);
    }
}
