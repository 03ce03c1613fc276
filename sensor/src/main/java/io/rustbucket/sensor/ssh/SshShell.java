package io.rustbucket.sensor.ssh;

import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.shell.FakeHost;
import io.rustbucket.sensor.shell.LineDiscipline;
import io.rustbucket.sensor.shell.Shell;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/** SSH {@code shell} and {@code exec} channels answered by the shared shell, each on its own virtual thread. */
final class SshShell {
    private final FakeHost host;
    private final SensorLimits limits;

    SshShell(FakeHost host, SensorLimits limits) {
        this.host = host;
        this.limits = limits;
    }

    Command shell(ChannelSession channel) {
        return new Channel(null);
    }

    Command exec(ChannelSession channel, String command) {
        return new Channel(command);
    }

    /** One channel: an interactive shell when {@code command} is null, else one command line. */
    private final class Channel implements Command {
        private final String command;
        private InputStream in;
        private OutputStream out;
        private ExitCallback exit;
        private Thread thread;

        Channel(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            // bash over SSH mixes both streams on a pty; without one our shell's stderr is already in the output
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) {
            SshSensor.SshEvents events = channel.getSession().getAttribute(SshSensor.EVENTS);
            String user = channel.getSession().getUsername();
            boolean pty = !env.getPtyModes().isEmpty() || env.getEnv().containsKey(Environment.ENV_TERM);
            thread = Thread.ofVirtual().name("ssh-shell").start(() -> {
                int status = 0;
                try {
                    FakeHost.Session sh = host.open(user, events.sourceIp, "ssh", events);
                    status = command != null ? exec(sh, pty) : interactive(sh, pty);
                } catch (IOException | RuntimeException e) {
                    status = 255;
                } finally {
                    exit.onExit(status);
                }
            });
        }

        private int exec(FakeHost.Session sh, boolean pty) throws IOException {
            Shell.Result r = sh.run(command);
            out.write(pty ? LineDiscipline.crlf(r.output()) : r.output());
            out.flush();
            return r.status();
        }

        private int interactive(FakeHost.Session sh, boolean pty) throws IOException {
            String motd = host.motd();
            write(pty ? LineDiscipline.crlf(motd) + sh.prompt() : "");
            LineDiscipline lines = new LineDiscipline(in, out, limits.lineMaxBytes());
            while (true) {
                String line = lines.readLine(pty);
                if (line == null) {
                    write(pty ? "logout\r\n" : "");
                    return 0;
                }
                if (line.equals(LineDiscipline.INTERRUPTED)) {
                    write(pty ? sh.prompt() : "");
                    continue;
                }
                Shell.Result r = sh.run(line);
                out.write(pty ? LineDiscipline.crlf(r.output()) : r.output());
                if (r.exit()) {
                    write(pty ? "logout\r\n" : "");
                    return r.status();
                }
                write(pty ? sh.prompt() : "");
            }
        }

        private void write(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void destroy(ChannelSession channel) {
            if (thread != null) {
                thread.interrupt();
            }
        }
    }
}
