package io.rustbucket.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.testing.TestHttp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * A Telegram Bot API double on loopback that speaks the real JSON API: {@code /bot<token>/<method>} with JSON
 * bodies, the {@code ok/result} envelope, {@code getUpdates} with offsets and long-poll timeouts, group
 * administrators, and injected 429 answers with {@code retry_after}. Every call is recorded with its time.
 */
public final class FakeBotApi implements AutoCloseable {
    public static final String TOKEN = "123456:test-token-abcdefghijklmnopqrstuvwxyz";

    public record Call(String method, JsonNode params, long nanos) {}

    public final List<Call> calls = new CopyOnWriteArrayList<>();
    public final Map<Long, List<Long>> admins = new ConcurrentHashMap<>();
    /** Method -> how many of its next calls answer 429. */
    public final Map<String, Integer> rateLimited = new ConcurrentHashMap<>();

    private final List<ObjectNode> updates = new ArrayList<>();
    private final HttpServer server;
    private long nextUpdateId = 1000;
    private long nextMessageId = 1;

    public FakeBotApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Queues an update; returns it (with its update_id). */
    public synchronized ObjectNode push(ObjectNode update) {
        update.put("update_id", nextUpdateId++);
        updates.add(update);
        notifyAll();
        return update;
    }

    /** A group message update; {@code extra} adds fields to the message (photo, caption, sender_chat...). */
    public ObjectNode message(long chatId, long userId, String username, String text, Map<String, Object> extra) {
        ObjectNode m = Json.mapper().createObjectNode();
        synchronized (this) {
            m.put("message_id", nextMessageId++);
        }
        m.put("date", System.currentTimeMillis() / 1000);
        m.putObject("chat")
                .put("id", chatId)
                .put("type", chatId < 0 ? "supergroup" : "private")
                .put("title", "Test group");
        m.putObject("from")
                .put("id", userId)
                .put("is_bot", false)
                .put("first_name", "U")
                .put("username", username);
        if (text != null) {
            m.put("text", text);
        }
        extra.forEach((k, v) -> m.set(k, Json.mapper().valueToTree(v)));
        ObjectNode u = Json.mapper().createObjectNode();
        u.set("message", m);
        return push(u);
    }

    public ObjectNode callback(long userId, String data) {
        ObjectNode u = Json.mapper().createObjectNode();
        ObjectNode q = u.putObject("callback_query");
        q.put("id", "cb-" + System.nanoTime());
        q.putObject("from")
                .put("id", userId)
                .put("is_bot", false)
                .put("first_name", "A")
                .put("username", "admin" + userId);
        q.put("data", data);
        return push(u);
    }

    public List<Call> calls(String method) {
        return calls.stream().filter(c -> c.method().equals(method)).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String prefix = "/bot" + TOKEN + "/";
        if (!path.startsWith(prefix)) {
            TestHttp.reply(
                    ex, 401, "application/json", "{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}");
            return;
        }
        String method = path.substring(prefix.length());
        byte[] body = ex.getRequestBody().readAllBytes();
        JsonNode params = body.length == 0
                ? Json.mapper().createObjectNode()
                : Json.mapper().readTree(body);
        calls.add(new Call(method, params, System.nanoTime()));
        Integer limited = rateLimited.computeIfPresent(method, (k, n) -> n - 1);
        if (limited != null && limited >= 0) {
            TestHttp.reply(
                    ex,
                    429,
                    "application/json",
                    "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 1\","
                            + "\"parameters\":{\"retry_after\":1}}");
            return;
        }
        Object result = switch (method) {
            case "getUpdates" ->
                updates(params.path("offset").asLong(0), params.path("timeout").asLong(0));
            case "getMe" -> Map.of("id", 4242, "is_bot", true, "first_name", "Rustbucket", "username", "rb_test_bot");
            case "getChatAdministrators" ->
                admins.getOrDefault(params.path("chat_id").asLong(), List.of()).stream()
                        .map(id -> Map.of(
                                "status",
                                "administrator",
                                "user",
                                Map.of("id", id, "is_bot", false, "first_name", "Admin")))
                        .toList();
            case "sendMessage" ->
                Map.of(
                        "message_id",
                        900_000 + calls.size(),
                        "date",
                        0,
                        "chat",
                        Map.of("id", params.path("chat_id").asText()),
                        "text",
                        params.path("text").asText());
            default -> Boolean.TRUE;
        };
        TestHttp.reply(ex, 200, "application/json", Json.write(Map.of("ok", true, "result", result)));
    }

    /** Updates from {@code offset} on; waits up to {@code timeout} seconds (capped at 2) for the first one. */
    private synchronized List<ObjectNode> updates(long offset, long timeout) {
        updates.removeIf(u -> u.path("update_id").asLong() < offset); // confirmed by the offset
        long until = System.currentTimeMillis() + Math.min(timeout, 2) * 1000;
        while (updates.isEmpty() && System.currentTimeMillis() < until) {
            try {
                wait(Math.max(1, until - System.currentTimeMillis()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return List.copyOf(updates);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
