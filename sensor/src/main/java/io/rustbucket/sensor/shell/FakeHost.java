package io.rustbucket.sensor.shell;

import io.rustbucket.sensor.record.EventAction;
import io.rustbucket.sensor.record.SessionEvents;
import io.rustbucket.sensor.respond.Answer;
import io.rustbucket.sensor.respond.Responder;

/**
 * The machine behind the sensor's shells (Telnet and SSH share it): its persona, file image, login policy and the
 * responder for what the emulator does not know.
 */
public final class FakeHost {
    private final FakeMachine machine;
    private final FakeFileSystem image;
    private final LoginPolicy login;
    private final Responder responder;

    public FakeHost(FakeMachine machine, LoginPolicy login, Responder responder) {
        this.machine = machine;
        this.image = MachineImage.build(machine);
        this.login = login;
        this.responder = responder;
    }

    public FakeMachine machine() {
        return machine;
    }

    public LoginPolicy login() {
        return login;
    }

    public Responder responder() {
        return responder;
    }

    public FakeFileSystem image() {
        return image;
    }

    /** What a login prints before the first prompt, as Ubuntu's pam_motd and sshd do; the last login is the owner's. */
    public String motd() {
        return "Welcome to " + machine.osName() + " (GNU/Linux " + machine.kernel() + " x86_64)\n\n"
                + " * Documentation:  https://help.ubuntu.com\n * Management:     https://landscape.canonical.com\n"
                + " * Support:        https://ubuntu.com/pro\n\n  System information as of "
                + java.time.format.DateTimeFormatter.ofPattern("EEE MMM d hh:mm:ss a 'UTC' yyyy", java.util.Locale.ROOT)
                        .format(machine.clock().instant().atZone(java.time.ZoneOffset.UTC))
                + "\n\n  System load:  0.08              Processes:             117\n"
                + "  Usage of /:   12.6% of 48.27GB   Users logged in:       0\n"
                + "  Memory usage: 23%               IPv4 address for eth0: " + machine.privateIp() + "\n"
                + "  Swap usage:   0%\n\n"
                + "Last login: "
                + java.time.format.DateTimeFormatter.ofPattern("EEE MMM d HH:mm:ss yyyy", java.util.Locale.ROOT)
                        .format(machine.clock()
                                .instant()
                                .minusSeconds(86_400 + 3_217)
                                .atZone(java.time.ZoneOffset.UTC))
                + " from " + machine.ownerIp() + "\n";
    }

    /**
     * Decides a login by the policy and records the attempt (user, password, outcome): the one place both happen,
     * for every protocol.
     *
     * @param how the protocol as the message names it, e.g. {@code ftp}, {@code ssh password}
     * @param attempt 1 for the first try of the session
     */
    public boolean login(SessionEvents events, String how, String user, String password, int attempt) {
        boolean ok = login.accepts(user, password, attempt);
        recordLogin(events, how, user, password, ok);
        return ok;
    }

    /** Records a login attempt the policy did not decide (e.g. the client left at the password prompt). */
    public static void recordLogin(SessionEvents events, String how, String user, String password, boolean ok) {
        events.record(events.event(EventAction.LOGIN_ATTEMPT)
                .user(user, password)
                .outcome(ok)
                .message(how + " login " + (ok ? "accepted" : "refused") + " for " + user)
                .build());
    }

    /** A logged-in shell for one session; its commands are recorded through {@code events}. */
    public Session open(String user, String sourceIp, String service, SessionEvents events) {
        return new Session(
                new Shell(machine, image.session(), user, sourceIp), responder.session(sourceIp), service, events);
    }

    /** One shell session: runs lines, asks the responder for unknown commands, records each line. */
    public final class Session {
        private final Shell shell;
        private final Responder.Session memory;
        private final String service;
        private final SessionEvents events;

        Session(Shell shell, Responder.Session memory, String service, SessionEvents events) {
            this.shell = shell;
            this.memory = memory;
            this.service = service;
            this.events = events;
        }

        public String prompt() {
            return shell.prompt();
        }

        public Shell.Result run(String line) {
            long t0 = System.nanoTime();
            Shell.Result r =
                    shell.run(line, (command, fallback) -> responder.answer(memory, service, command, fallback));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String text = r.text();
            if (r.responder().equals(Answer.EMULATOR)) {
                responder.countEmulated();
            }
            memory.remember(line, text);
            events.record(events.event(EventAction.COMMAND)
                    .input(line)
                    .response(text, r.responder(), ms)
                    .message("command: " + (line.length() > 200 ? line.substring(0, 200) + "..." : line))
                    .build());
            for (String url : r.urls()) {
                events.record(events.event(EventAction.FILE_DOWNLOAD)
                        .url(url)
                        .message("download requested: " + url)
                        .build());
            }
            return r;
        }

        public int llmCalls() {
            return memory.llmCalls();
        }
    }
}
