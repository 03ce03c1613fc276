package io.rustbucket.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The baseline of the sensor's connect-rate benchmark: a bare Java server with the sensor's threading model (one
 * virtual thread per connection) that writes a banner and waits for the client to close. Whatever the sensor
 * does beyond this (gate, recording, protocol state) is what the ratio measures.
 *
 * <p>With QUESTION (hex bytes) the server first writes it and waits for the client's answer, then writes the
 * banner: the bare form of a protocol whose prompt needs a round trip first, as Telnet's {@code login:} after
 * telnetd's terminal questions.
 *
 * <p>Usage: {@code BannerServer PORT BANNER [QUESTION]}
 */
public final class BannerServer {
    private BannerServer() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        byte[] banner = (args[1] + "\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] question = args.length > 2 ? HexFormat.of().parseHex(args[2]) : null;
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1024);
            System.out.println("banner server on " + port);
            while (true) {
                Socket s = server.accept();
                Thread.ofVirtual().start(() -> {
                    try (s;
                            InputStream in = s.getInputStream()) {
                        s.setTcpNoDelay(true);
                        if (question != null) {
                            s.getOutputStream().write(question);
                            s.getOutputStream().flush();
                            if (in.read(new byte[256]) < 0) {
                                return;
                            }
                        }
                        s.getOutputStream().write(banner);
                        s.getOutputStream().flush();
                        in.read(new byte[256]);
                    } catch (IOException ignored) {
                        // the client reset: nothing to do
                    }
                });
            }
        }
    }
}
