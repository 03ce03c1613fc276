package io.rustbucket.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rustbucket.core.health.Readiness;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bodies over the limit, over a real socket: the client hears the 413 even while it is still sending. */
class RequestBodiesTest {
    ApiServer server;

    @BeforeEach
    void start() {
        ApiServer.Routes echo =
                r -> r.post("/echo", ctx -> ctx.json(Map.of("bytes", RequestBodies.read(ctx, 1024).length)));
        server = ApiServer.start(
                "127.0.0.1",
                0,
                HttpLimits.defaults(),
                new Readiness(),
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                List.of(echo));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /**
     * Sends the head and the body, the body in two parts a moment apart (a client on a real network is still
     * sending when the server has decided), then reads the answer. A server that answered and closed at once makes
     * the second part fail with a broken pipe or a reset, as the JDK's HTTP client then reports.
     */
    private String exchange(String head, byte[] body) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            int first = Math.min(body.length, 4096);
            out.write(body, 0, first);
            out.flush();
            Thread.sleep(300);
            out.write(body, first, body.length - first);
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readNBytes(4096), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aDeclaredBodyOverTheLimitIsReadAwayAndAnswered413() throws Exception {
        byte[] body = new byte[600 * 1024];
        String answer = exchange(
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n",
                body);
        assertThat(answer).startsWith("HTTP/1.1 413").contains("RGP.PAYLOAD_TOO_LARGE");
    }

    @Test
    void aChunkedBodyOverTheLimitIsAnswered413() throws Exception {
        StringBuilder chunks = new StringBuilder();
        String piece = "x".repeat(8192);
        for (int i = 0; i < 40; i++) {
            chunks.append(Integer.toHexString(piece.length()))
                    .append("\r\n")
                    .append(piece)
                    .append("\r\n");
        }
        chunks.append("0\r\n\r\n");
        String answer = exchange(
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                        + "Connection: close\r\n\r\n",
                chunks.toString().getBytes(StandardCharsets.US_ASCII));
        assertThat(answer).startsWith("HTTP/1.1 413");
    }

    @Test
    void aBodyWithinTheLimitIsRead() throws Exception {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String answer = exchange(
                "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n",
                body);
        assertThat(answer).startsWith("HTTP/1.1 200").contains("{\"bytes\":7}");
    }
}
