package io.rustbucket.sensor.telnet;

import io.rustbucket.core.io.LineTooLongException;
import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.listen.Connection;
import io.rustbucket.sensor.listen.ProtocolHandler;
import io.rustbucket.sensor.record.EventAction;
import io.rustbucket.sensor.shell.FakeHost;
import io.rustbucket.sensor.shell.Shell;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PushbackInputStream;
import java.nio.charset.StandardCharsets;

/**
 * A Telnet login server as Ubuntu's telnetd + login present it: option negotiation, {@code login:} and
 * {@code Password:} (not echoed), "Login incorrect" and a pause after a refused attempt, three attempts, then the
 * MOTD and the shared shell. The server echoes typed characters and handles backspace, Ctrl-C, Ctrl-D and arrow
 * keys the way a line discipline does.
 */
public final class TelnetHandler implements ProtocolHandler {
    static final int MAX_LOGIN_ATTEMPTS = 3;

    private final FakeHost host;
    private final SensorLimits limits;

    public TelnetHandler(FakeHost host, SensorLimits limits) {
        this.host = host;
        this.limits = limits;
    }

    /** Thrown-away-line marker: the user pressed Ctrl-C. */
    private static final String INTERRUPTED = "\u0000^C";

    @Override
    public void handle(Connection c) throws IOException {
        c.readTimeout(limits.preAuthTimeout());
        PushbackInputStream in =
                new PushbackInputStream(new TelnetInput(new BufferedInputStream(c.input(), 4096), c.output()), 1);
        String hostname = host.machine().hostname();
        c.sendBytes(TelnetInput.greeting());
        String banner = "\r\n" + host.machine().osName() + "\r\n" + hostname + " login: ";
        c.send(banner);
        c.record(c.event(EventAction.BANNER)
                .response(banner.strip(), "emulator", 0)
                .build());
        String user = null;
        for (int attempt = 1; attempt <= MAX_LOGIN_ATTEMPTS; attempt++) {
            if (attempt > 1) {
                c.send(hostname + " login: ");
            }
            String name = readLine(in, c, true);
            if (name == null) {
                return;
            }
            if (name.equals(INTERRUPTED)) {
                attempt--;
                continue;
            }
            c.send("Password: ");
            String password = readLine(in, c, false);
            if (password == null) {
                recordLogin(c, name, "", false);
                return;
            }
            c.send("\r\n");
            boolean ok = host.login().accepts(name, password, attempt);
            recordLogin(c, name, password, ok);
            if (ok) {
                user = name;
                break;
            }
            c.send("\r\nLogin incorrect\r\n");
        }
        if (user == null) {
            return;
        }
        c.readTimeout(limits.idleTimeout());
        FakeHost.Session shell = host.open(user, c.sourceIp(), "telnet", c);
        c.send(crlf(host.motd(c.sourceIp())) + shell.prompt());
        while (true) {
            String line = readLine(in, c, true);
            if (line == null) {
                c.send("logout\r\n");
                return;
            }
            if (line.equals(INTERRUPTED)) {
                c.send(shell.prompt());
                continue;
            }
            Shell.Result r = shell.run(line);
            c.sendBytes(crlf(r.output()));
            if (r.exit()) {
                c.send("logout\r\n");
                return;
            }
            c.send(shell.prompt());
        }
    }

    private static void recordLogin(Connection c, String user, String password, boolean ok) {
        c.record(c.event(EventAction.LOGIN_ATTEMPT)
                .user(user, password)
                .outcome(ok)
                .message("telnet login " + (ok ? "accepted" : "refused") + " for " + user)
                .build());
    }

    /**
     * One line as a terminal line discipline delivers it. Returns null at end of input or Ctrl-D on an empty line,
     * {@link #INTERRUPTED} on Ctrl-C. Lines end at CR (followed by LF or NUL, consumed), or LF.
     */
    String readLine(PushbackInputStream in, Connection c, boolean echo) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteArrayOutputStream echoed = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            switch (b) {
                case '\r' -> {
                    int next = in.read();
                    if (next >= 0 && next != '\n' && next != 0) {
                        in.unread(next);
                    }
                    flushEcho(c, echoed, echo);
                    if (echo) {
                        c.send("\r\n");
                    }
                    return line.toString(StandardCharsets.UTF_8);
                }
                case '\n' -> {
                    flushEcho(c, echoed, echo);
                    if (echo) {
                        c.send("\r\n");
                    }
                    return line.toString(StandardCharsets.UTF_8);
                }
                case 0x08, 0x7f -> {
                    if (line.size() > 0) {
                        byte[] kept = line.toByteArray();
                        line.reset();
                        line.write(kept, 0, kept.length - 1);
                        if (echo) {
                            echoed.writeBytes("\b \b".getBytes(StandardCharsets.US_ASCII));
                        }
                    }
                }
                case 0x03 -> {
                    flushEcho(c, echoed, echo);
                    c.send("^C\r\n");
                    return INTERRUPTED;
                }
                case 0x04 -> {
                    if (line.size() == 0) {
                        return null;
                    }
                }
                case 0x1b -> { // an escape sequence (arrow keys): ESC [ X, ignored as there is no history recall
                    int next = in.read();
                    if (next == '[' || next == 'O') {
                        in.read();
                    }
                }
                default -> {
                    if (b < 0x20 && b != '\t') {
                        continue;
                    }
                    if (line.size() >= limits.lineMaxBytes()) {
                        throw new LineTooLongException(limits.lineMaxBytes(), line.size() + 1);
                    }
                    line.write(b);
                    if (echo) {
                        echoed.write(b);
                    }
                }
            }
            // echo in the batches the client sent, not one packet per character
            if (in.available() == 0) {
                flushEcho(c, echoed, echo);
            }
        }
    }

    private static void flushEcho(Connection c, ByteArrayOutputStream echoed, boolean echo) throws IOException {
        if (echo && echoed.size() > 0) {
            c.sendBytes(echoed.toByteArray());
            echoed.reset();
        }
    }

    static String crlf(String s) {
        return s.replace("\r\n", "\n").replace("\n", "\r\n");
    }

    static byte[] crlf(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length + 16);
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(b[i]);
        }
        return out.toByteArray();
    }
}
