package io.rustbucket.sensor.telnet;

import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.listen.Connection;
import io.rustbucket.sensor.listen.ProtocolHandler;
import io.rustbucket.sensor.record.EventAction;
import io.rustbucket.sensor.shell.FakeHost;
import io.rustbucket.sensor.shell.LineDiscipline;
import io.rustbucket.sensor.shell.Shell;
import java.io.BufferedInputStream;
import java.io.IOException;

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

    /**
     * Linux telnetd first asks for the terminal's type, speed, display and environment, and says nothing more until
     * the client answers (this is how scanners, nmap included, recognise it).
     */
    @Override
    public void greet(Connection c) throws IOException {
        c.readTimeout(limits.preAuthTimeout());
        c.sendBytes(TelnetInput.terminalQuestions());
    }

    @Override
    public void handle(Connection c) throws IOException {
        BufferedInputStream raw = new BufferedInputStream(c.input(), 1024);
        LineDiscipline in = new LineDiscipline(new TelnetInput(raw, c.output()), c.output(), limits.lineMaxBytes());
        String hostname = host.machine().hostname();
        String banner = "\r\n" + host.machine().osName() + "\r\n" + hostname + " login: ";
        byte[] options = TelnetInput.greeting();
        byte[] text = banner.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] both = java.util.Arrays.copyOf(options, options.length + text.length);
        System.arraycopy(text, 0, both, options.length, text.length);
        c.sendBytes(both); // one write: options and banner arrive together, as from telnetd
        c.record(c.event(EventAction.BANNER)
                .response(banner.strip(), "emulator", 0)
                .build());
        String user = null;
        for (int attempt = 1; attempt <= MAX_LOGIN_ATTEMPTS; attempt++) {
            if (attempt > 1) {
                c.send(hostname + " login: ");
            }
            String name = in.readLine(true);
            if (name == null) {
                return;
            }
            if (name.equals(LineDiscipline.INTERRUPTED)) {
                attempt--;
                continue;
            }
            c.send("Password: ");
            String password = in.readLine(false);
            if (password == null) {
                FakeHost.recordLogin(c, "telnet", name, "", false);
                return;
            }
            c.send("\r\n");
            if (host.login(c, "telnet", name, password, attempt)) {
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
        c.send(LineDiscipline.crlf(host.motd()) + shell.prompt());
        while (true) {
            String line = in.readLine(true);
            if (line == null) {
                c.send("logout\r\n");
                return;
            }
            if (line.equals(LineDiscipline.INTERRUPTED)) {
                c.send(shell.prompt());
                continue;
            }
            Shell.Result r = shell.run(line);
            c.sendBytes(LineDiscipline.crlf(r.output()));
            if (r.exit()) {
                c.send("logout\r\n");
                return;
            }
            c.send(shell.prompt());
        }
    }
}
