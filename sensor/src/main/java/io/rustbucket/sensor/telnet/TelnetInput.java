package io.rustbucket.sensor.telnet;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;

/**
 * The data bytes of a Telnet connection (RFC 854/855): IAC commands are removed, option requests answered
 * (we WILL ECHO and SUPPRESS-GO-AHEAD, as a login server does; everything else is refused), IAC IAC becomes one
 * 255 byte. Sub-negotiations are skipped but bounded: one longer than {@link #MAX_SUBNEGOTIATION_BYTES}, and more
 * than {@link #MAX_COMMANDS_IN_A_ROW} commands without a data byte (an IAC flood), end the session.
 */
public final class TelnetInput extends FilterInputStream {
    static final int IAC = 255;
    static final int DONT = 254;
    static final int DO = 253;
    static final int WONT = 252;
    static final int WILL = 251;
    static final int SB = 250;
    static final int SE = 240;
    static final int ECHO = 1;
    static final int SUPPRESS_GO_AHEAD = 3;
    static final int MAX_SUBNEGOTIATION_BYTES = 1024;
    static final int MAX_COMMANDS_IN_A_ROW = 1000;

    private final OutputStream replies;
    private int commandsInARow;

    public TelnetInput(InputStream in, OutputStream replies) {
        super(in);
        this.replies = replies;
    }

    /** Linux telnetd's first bytes: DO TERMINAL-TYPE, DO TERMINAL-SPEED, DO X-DISPLAY-LOCATION, DO NEW-ENVIRON. */
    public static byte[] terminalQuestions() {
        return new byte[] {
            (byte) IAC, (byte) DO, 24, (byte) IAC, (byte) DO, 32, (byte) IAC, (byte) DO, 35, (byte) IAC, (byte) DO, 39
        };
    }

    /** Then, before the login prompt: it will echo and suppress go-ahead, as a login server does. */
    public static byte[] greeting() {
        return new byte[] {(byte) IAC, (byte) WILL, ECHO, (byte) IAC, (byte) WILL, SUPPRESS_GO_AHEAD};
    }

    @Override
    public int read() throws IOException {
        while (true) {
            int b = in.read();
            if (b != IAC) {
                commandsInARow = 0;
                return b;
            }
            int cmd = in.read();
            if (cmd < 0) {
                return -1;
            }
            if (cmd == IAC) {
                commandsInARow = 0;
                return IAC; // an escaped 255 data byte
            }
            if (++commandsInARow > MAX_COMMANDS_IN_A_ROW) {
                throw new ProtocolException(
                        "telnet command flood: " + MAX_COMMANDS_IN_A_ROW + " commands without data");
            }
            switch (cmd) {
                case DO, DONT, WILL, WONT -> negotiate(cmd, in.read());
                case SB -> skipSubnegotiation();
                default -> {
                    // NOP, DM, BRK, IP, AO, AYT, EC, EL, GA: no data, nothing to answer
                }
            }
        }
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int first = read();
        if (first < 0) {
            return -1;
        }
        buf[off] = (byte) first;
        int n = 1;
        // Return only what is available without blocking again, so line reads stay interactive.
        while (n < len && in.available() > 0) {
            int b = read();
            if (b < 0) {
                break;
            }
            buf[off + n++] = (byte) b;
        }
        return n;
    }

    /** Accepts what a login server offers (ECHO and SGA from us), refuses every other option. */
    private void negotiate(int verb, int option) throws IOException {
        if (option < 0) {
            return;
        }
        boolean ours = option == ECHO || option == SUPPRESS_GO_AHEAD;
        int answer = switch (verb) {
            case DO -> ours ? -1 : WONT; // we announced WILL already: no answer to a confirmation
            case WILL -> DONT;
            default -> -1; // DONT / WONT: acknowledged by silence (RFC 854 loop prevention)
        };
        if (answer >= 0) {
            replies.write(new byte[] {(byte) IAC, (byte) answer, (byte) option});
            replies.flush();
        }
    }

    private void skipSubnegotiation() throws IOException {
        int count = 0;
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            if (prev == IAC && b == SE) {
                return;
            }
            if (++count > MAX_SUBNEGOTIATION_BYTES) {
                throw new ProtocolException(
                        "telnet sub-negotiation longer than " + MAX_SUBNEGOTIATION_BYTES + " bytes");
            }
            prev = (prev == IAC && b == IAC) ? -1 : b;
        }
    }
}
