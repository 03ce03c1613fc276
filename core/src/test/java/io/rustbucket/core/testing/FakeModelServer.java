package io.rustbucket.core.testing;

import io.rustbucket.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A model server on loopback that speaks the providers' streaming formats byte for byte (OpenAI SSE chunks,
 * Anthropic named events, Ollama NDJSON), over raw sockets so tests control every write: frames split across TCP
 * writes, delays, mid-stream errors, stalls and error statuses. Replies are scripted in order.
 */
public final class FakeModelServer implements AutoCloseable {
    /** A request as the server received it. */
    public record Received(String method, String path, Map<String, String> headers, String body) {
        public com.fasterxml.jackson.databind.JsonNode json() {
            try {
                return Json.mapper().readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** One scripted answer. */
    public record Reply(int status, Map<String, String> headers, List<byte[]> parts, Duration pause, boolean stall) {
        /** A 200 streaming answer written in the given parts, each flushed as its own TCP write after a pause. */
        public static Reply stream(String contentType, List<byte[]> parts, Duration pause) {
            return new Reply(200, Map.of("Content-Type", contentType), parts, pause, false);
        }

        /** Like {@link #stream} but then holds the connection open without another byte. */
        public static Reply stalling(String contentType, List<byte[]> parts) {
            return new Reply(200, Map.of("Content-Type", contentType), parts, Duration.ZERO, true);
        }

        public static Reply error(int status, Map<String, String> headers, String body) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.putIfAbsent("Content-Type", "application/json");
            return new Reply(status, h, List.of(body.getBytes(StandardCharsets.UTF_8)), Duration.ZERO, false);
        }
    }

    private final ServerSocket server;
    private final BlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Socket> open = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    public FakeModelServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::acceptLoop);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public FakeModelServer enqueue(Reply reply) {
        replies.add(reply);
        return this;
    }

    public List<Received> received() {
        return received;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread.ofVirtual().start(() -> serve(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                if (c > 0) {
                    headers.put(
                            lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(c + 1).trim());
                }
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            received.add(new Received(requestLine[0], requestLine[1], headers, body));
            Reply reply = replies.poll();
            if (reply == null) {
                reply = Reply.error(500, Map.of(), "{\"error\":{\"message\":\"no scripted reply\"}}");
            }
            write(socket.getOutputStream(), reply);
        } catch (IOException | InterruptedException e) {
            // the client went away: nothing to answer
        } finally {
            open.remove(socket);
        }
    }

    private void write(OutputStream out, Reply reply) throws IOException, InterruptedException {
        StringBuilder head = new StringBuilder("HTTP/1.1 " + reply.status() + " " + reason(reply.status()) + "\r\n");
        reply.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        for (byte[] part : reply.parts()) {
            if (!reply.pause().isZero()) {
                Thread.sleep(reply.pause());
            }
            out.write((Integer.toHexString(part.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(part);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        if (reply.stall()) {
            while (!closed) {
                Thread.sleep(50);
            }
            return;
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed in headers");
            }
            b.write(c);
            matched = (c == '\r' && (matched == 0 || matched == 2)) || (c == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1
                    : 0;
            if (b.size() > 65536) {
                throw new IOException("headers too large");
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 529 -> "Overloaded";
            default -> "Status";
        };
    }

    // ---- the providers' formats ----

    /** OpenAI chat completion chunks for the tokens, a finish chunk, a usage chunk and {@code data: [DONE]}. */
    public static byte[] openAiStream(List<String> tokens, String finish, int promptTokens, int completionTokens) {
        StringBuilder s = new StringBuilder();
        String id = "chatcmpl-test";
        s.append("data: ")
                .append(Json.write(Map.of(
                        "id",
                        id,
                        "object",
                        "chat.completion.chunk",
                        "choices",
                        List.of(Map.of("index", 0, "delta", Map.of("role", "assistant", "content", ""))))))
                .append("\n\n");
        for (String t : tokens) {
            s.append("data: ")
                    .append(Json.write(Map.of(
                            "id",
                            id,
                            "object",
                            "chat.completion.chunk",
                            "choices",
                            List.of(Map.of("index", 0, "delta", Map.of("content", t))))))
                    .append("\n\n");
        }
        Map<String, Object> last = new LinkedHashMap<>();
        last.put("index", 0);
        last.put("delta", Map.of());
        last.put("finish_reason", finish);
        s.append("data: ")
                .append(Json.write(Map.of("id", id, "object", "chat.completion.chunk", "choices", List.of(last))))
                .append("\n\n");
        s.append("data: ")
                .append(Json.write(Map.of(
                        "id",
                        id,
                        "object",
                        "chat.completion.chunk",
                        "choices",
                        List.of(),
                        "usage",
                        Map.of(
                                "prompt_tokens",
                                promptTokens,
                                "completion_tokens",
                                completionTokens,
                                "total_tokens",
                                promptTokens + completionTokens))))
                .append("\n\n");
        s.append("data: [DONE]\n\n");
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Anthropic Messages events, message_start to message_stop, with a ping in the middle. */
    public static byte[] anthropicStream(List<String> tokens, String stopReason, int inputTokens, int outputTokens) {
        StringBuilder s = new StringBuilder();
        event(
                s,
                "message_start",
                Map.of(
                        "type",
                        "message_start",
                        "message",
                        Map.of(
                                "id",
                                "msg_test",
                                "type",
                                "message",
                                "role",
                                "assistant",
                                "content",
                                List.of(),
                                "model",
                                "claude-test",
                                "usage",
                                Map.of("input_tokens", inputTokens, "output_tokens", 1))));
        event(
                s,
                "content_block_start",
                Map.of("type", "content_block_start", "index", 0, "content_block", Map.of("type", "text", "text", "")));
        event(s, "ping", Map.of("type", "ping"));
        for (String t : tokens) {
            event(
                    s,
                    "content_block_delta",
                    Map.of(
                            "type",
                            "content_block_delta",
                            "index",
                            0,
                            "delta",
                            Map.of("type", "text_delta", "text", t)));
        }
        event(s, "content_block_stop", Map.of("type", "content_block_stop", "index", 0));
        Map<String, Object> delta = new LinkedHashMap<>();
        delta.put("stop_reason", stopReason);
        delta.put("stop_sequence", null);
        event(
                s,
                "message_delta",
                Map.of("type", "message_delta", "delta", delta, "usage", Map.of("output_tokens", outputTokens)));
        event(s, "message_stop", Map.of("type", "message_stop"));
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** An Anthropic {@code error} event, as sent mid-stream when the API is overloaded. */
    public static byte[] anthropicError(String type, String message) {
        StringBuilder s = new StringBuilder();
        event(s, "error", Map.of("type", "error", "error", Map.of("type", type, "message", message)));
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Ollama /api/chat lines, the last with {@code done: true} and the eval counts. */
    public static byte[] ollamaStream(List<String> tokens, String doneReason, int promptEval, int eval) {
        StringBuilder s = new StringBuilder();
        for (String t : tokens) {
            s.append(Json.write(Map.of(
                            "model",
                            "llama-test",
                            "created_at",
                            "2026-01-01T00:00:00Z",
                            "message",
                            Map.of("role", "assistant", "content", t),
                            "done",
                            false)))
                    .append('\n');
        }
        s.append(Json.write(Map.of(
                        "model",
                        "llama-test",
                        "created_at",
                        "2026-01-01T00:00:01Z",
                        "message",
                        Map.of("role", "assistant", "content", ""),
                        "done",
                        true,
                        "done_reason",
                        doneReason,
                        "prompt_eval_count",
                        promptEval,
                        "eval_count",
                        eval)))
                .append('\n');
        return s.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Cuts bytes into pieces of {@code every} bytes: frames and UTF-8 characters end up split across writes. */
    public static List<byte[]> split(byte[] all, int every) {
        List<byte[]> parts = new ArrayList<>();
        for (int i = 0; i < all.length; i += every) {
            parts.add(java.util.Arrays.copyOfRange(all, i, Math.min(all.length, i + every)));
        }
        return parts;
    }

    private static void event(StringBuilder s, String name, Object data) {
        s.append("event: ")
                .append(name)
                .append('\n')
                .append("data: ")
                .append(Json.write(data))
                .append("\n\n");
    }
}
