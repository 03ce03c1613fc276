package io.rustbucket.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The baseline of the sensor's connect-rate benchmark: a bare Java server with the sensor's threading model (one
 * virtual thread per connection) that writes a banner and waits for the client to close. Whatever the sensor
 * does beyond this (gate, recording, protocol state) is what the ratio measures.
 *
 * <p>Usage: {@code BannerServer PORT BANNER}
 */
public final class BannerServer {
    private BannerServer() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        byte[] banner = (args[1] + "\r\n").getBytes(StandardCharsets.UTF_8);
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
