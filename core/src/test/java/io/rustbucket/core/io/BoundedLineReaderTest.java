package io.rustbucket.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BoundedLineReaderTest {
    private static BoundedLineReader reader(byte[] bytes, int max) {
        return new BoundedLineReader(new ByteArrayInputStream(bytes), max);
    }

    @Test
    void linesEndAtLfWithOrWithoutCr() throws Exception {
        BoundedLineReader r = reader("USER root\r\nPASS x\nlast".getBytes(StandardCharsets.UTF_8), 64);
        assertThat(r.readLineUtf8()).isEqualTo("USER root");
        assertThat(r.readLineUtf8()).isEqualTo("PASS x");
        assertThat(r.readLineUtf8()).isEqualTo("last");
        assertThat(r.readLine()).isNull();
    }

    @Test
    void exactlyTheLimitIsAcceptedOneMoreIsRefused() throws Exception {
        assertThat(reader(("a".repeat(64) + "\r\n").getBytes(), 64).readLine()).hasSize(64);
        assertThatThrownBy(() -> reader(("a".repeat(65) + "\n").getBytes(), 64).readLine())
                .isInstanceOfSatisfying(
                        LineTooLongException.class, e -> assertThat(e.limit()).isEqualTo(64));
    }

    @Test
    void aMegabyteWithoutNewlineIsRefusedBeforeItIsBuffered() {
        byte[] huge = new byte[1 << 20];
        java.util.Arrays.fill(huge, (byte) 'x');
        assertThatThrownBy(() -> reader(huge, 8192).readLine())
                .isInstanceOfSatisfying(
                        LineTooLongException.class,
                        e -> assertThat(e.observed()).isLessThan(8192 + 4096 + 2));
    }

    @Test
    void invalidUtf8AndBinaryBytesAreKeptRawAndDecodedLeniently() throws Exception {
        byte[] bytes = {(byte) 0xff, (byte) 0xfe, 0, 'A', (byte) 0xc3, '\n'};
        BoundedLineReader r = reader(bytes, 64);
        byte[] raw = r.readLine();
        assertThat(raw).containsExactly(0xff, 0xfe, 0, 'A', 0xc3);
        assertThat(new String(raw, StandardCharsets.UTF_8)).contains("A");
    }

    @Test
    void aSilentClientTimesOutOnTheSocket() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                Socket accepted = server.accept()) {
            OutputStream out = client.getOutputStream();
            out.write("half a li".getBytes()); // slow drip: never finishes the line
            out.flush();
            accepted.setSoTimeout(200);
            BoundedLineReader r = new BoundedLineReader(accepted.getInputStream(), 64);
            assertThatThrownBy(r::readLine).isInstanceOf(SocketTimeoutException.class);
        }
    }
}
