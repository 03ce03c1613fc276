package io.rustbucket.sensor.telnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustbucket.core.io.BoundedLineReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.ProtocolException;
import org.junit.jupiter.api.Test;

class TelnetInputTest {
    static final int IAC = 255;

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void negotiationIsAnsweredAndStrippedFromTheData() throws Exception {
        // A typical client: WILL TERMINAL-TYPE (24), DO ECHO (1), DO NAWS? as WILL 31, then "root\r\n".
        byte[] in = concat(bytes(IAC, 251, 24, IAC, 253, 1, IAC, 251, 31), "root\r\n".getBytes());
        ByteArrayOutputStream replies = new ByteArrayOutputStream();
        BoundedLineReader lines = new BoundedLineReader(new TelnetInput(new ByteArrayInputStream(in), replies), 64);
        assertThat(lines.readLineUtf8()).isEqualTo("root");
        // DONT TERMINAL-TYPE, (DO ECHO confirmed silently), DONT NAWS
        assertThat(replies.toByteArray()).containsExactly(bytes(IAC, 254, 24, IAC, 254, 31));
    }

    @Test
    void subnegotiationIsSkippedAndDoubledIacIsData() throws Exception {
        byte[] in = concat(
                bytes(IAC, 250, 24, 0, 'x', 't', 'e', 'r', 'm', IAC, 240),
                "a".getBytes(),
                bytes(IAC, IAC),
                "b\n".getBytes());
        BoundedLineReader lines =
                new BoundedLineReader(new TelnetInput(new ByteArrayInputStream(in), new ByteArrayOutputStream()), 64);
        assertThat(lines.readLine()).containsExactly('a', 0xff, 'b');
    }

    @Test
    void anEndlessSubnegotiationEndsTheSession() {
        byte[] in = new byte[10_000];
        in[0] = (byte) IAC;
        in[1] = (byte) 250;
        TelnetInput t = new TelnetInput(new ByteArrayInputStream(in), new ByteArrayOutputStream());
        assertThatThrownBy(t::read).isInstanceOf(ProtocolException.class).hasMessageContaining("sub-negotiation");
    }

    @Test
    void anIacFloodEndsTheSession() {
        byte[] in = new byte[3 * 5000];
        for (int i = 0; i < in.length; i += 3) {
            in[i] = (byte) IAC;
            in[i + 1] = (byte) 252; // WONT
            in[i + 2] = 5;
        }
        TelnetInput t = new TelnetInput(new ByteArrayInputStream(in), new ByteArrayOutputStream());
        assertThatThrownBy(t::read).isInstanceOf(ProtocolException.class).hasMessageContaining("flood");
    }

    @Test
    void greetingOffersEchoAndSuppressGoAhead() {
        assertThat(TelnetInput.greeting()).containsExactly(bytes(IAC, 251, 1, IAC, 251, 3));
    }
}
