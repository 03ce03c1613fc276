package io.rustbucket.sensor.ftp;

import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.listen.Connection;
import io.rustbucket.sensor.listen.ProtocolHandler;
import io.rustbucket.sensor.record.EventAction;
import io.rustbucket.sensor.record.Quarantine;
import io.rustbucket.sensor.shell.FakeFileSystem;
import io.rustbucket.sensor.shell.FakeFileSystem.Dir;
import io.rustbucket.sensor.shell.FakeFileSystem.File;
import io.rustbucket.sensor.shell.FakeFileSystem.Node;
import io.rustbucket.sensor.shell.FakeHost;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An FTP server as vsFTPd 3.0.3 answers (RFC 959, 2428): login recorded and decided by the login policy, the
 * fake machine's files for LIST/NLST/RETR/SIZE/MDTM, passive (PASV/EPSV) and active (PORT/EPRT) data connections,
 * uploads captured to quarantine. Active mode connects only back to the client's own address on an unprivileged
 * port (no bounce attacks); a passive data connection from any other address is refused, as vsFTPd does.
 */
public final class FtpHandler implements ProtocolHandler {
    static final Duration DATA_TIMEOUT = Duration.ofSeconds(30);
    static final int MAX_ERRORS = 30;

    private final FakeHost host;
    private final String banner;
    private final SensorLimits limits;
    private final Quarantine quarantine;

    public FtpHandler(FakeHost host, String banner, SensorLimits limits, Quarantine quarantine) {
        this.host = host;
        this.banner = banner;
        this.limits = limits;
        this.quarantine = quarantine;
    }

    /** One control connection's state. */
    private final class Session implements Closeable {
        final Connection c;
        String user;
        boolean loggedIn;
        int attempts;
        FakeFileSystem fs;
        String home = "/";
        String cwd = "/";
        boolean binary;
        ServerSocket passive;
        InetSocketAddress active;
        long restart;
        String renameFrom;

        Session(Connection c) {
            this.c = c;
        }

        void reply(String line) throws IOException {
            c.send(line + "\r\n");
        }

        @Override
        public void close() {
            closeData();
        }

        void closeData() {
            if (passive != null) {
                try {
                    passive.close();
                } catch (IOException ignored) {
                    // already closed
                }
                passive = null;
            }
            active = null;
        }
    }

    @Override
    public void greet(Connection c) throws IOException {
        c.readTimeout(limits.preAuthTimeout());
        c.send(banner + "\r\n");
        c.record(c.event(EventAction.BANNER).response(banner, "emulator", 0).build());
    }

    @Override
    public void handle(Connection c) throws IOException {
        try (Session s = new Session(c)) {
            int errors = 0;
            String line;
            while ((line = c.lines().readLineUtf8()) != null) {
                int sp = line.indexOf(' ');
                String verb = (sp < 0 ? line : line.substring(0, sp))
                        .toUpperCase(Locale.ROOT)
                        .strip();
                String arg = sp < 0 ? "" : line.substring(sp + 1);
                String reply = command(s, verb, arg);
                boolean recordable = !verb.equals("PASS");
                if (recordable) {
                    c.record(c.event(EventAction.COMMAND)
                            .input(line)
                            .response(reply, "emulator", 0)
                            .message("ftp " + verb)
                            .build());
                }
                if (reply.startsWith("5")) {
                    errors++;
                }
                if (reply.isEmpty()) {
                    continue; // the command sent its own replies
                }
                s.reply(reply);
                if (verb.equals("QUIT") || errors > MAX_ERRORS) {
                    return;
                }
            }
        }
    }

    private String command(Session s, String verb, String arg) throws IOException {
        switch (verb) {
            case "USER" -> {
                if (s.loggedIn) {
                    return "530 Can't change to another user.";
                }
                s.user = arg.strip();
                return "331 Please specify the password.";
            }
            case "PASS" -> {
                if (s.loggedIn) {
                    return "230 Already logged in.";
                }
                if (s.user == null) {
                    return "503 Login with USER first.";
                }
                s.attempts++;
                if (!host.login(s.c, "ftp", s.user, arg, s.attempts)) {
                    s.user = null;
                    return "530 Login incorrect.";
                }
                s.loggedIn = true;
                s.c.readTimeout(limits.idleTimeout());
                s.fs = host.image().session();
                String home = s.user.equals("root") ? "/root" : "/home/" + s.user;
                s.home = s.fs.dir(home).isPresent() ? home : "/";
                s.cwd = s.home;
                return "230 Login successful.";
            }
            case "QUIT" -> {
                return "221 Goodbye.";
            }
            case "FEAT" -> {
                return "211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End";
            }
            case "SYST" -> {
                return s.loggedIn ? "215 UNIX Type: L8" : "530 Please login with USER and PASS.";
            }
            case "NOOP" -> {
                return "200 NOOP ok.";
            }
            case "OPTS" -> {
                return arg.toUpperCase(Locale.ROOT).startsWith("UTF8")
                        ? "200 Always in UTF8 mode."
                        : "501 Option not understood.";
            }
            case "HELP" -> {
                return "214-The following commands are recognized.\r\n ABOR ACCT ALLO APPE CDUP CWD  DELE EPRT EPSV FEAT HELP LIST MDTM MKD\r\n"
                        + " MODE NLST NOOP OPTS PASS PASV PORT PWD  QUIT REIN REST RETR RMD  RNFR RNTO SITE\r\n"
                        + " SIZE SMNT STAT STOR STOU STRU SYST TYPE USER XCUP XCWD XMKD XPWD XRMD\r\n214 Help OK.";
            }
            default -> {
                // everything below needs a login
            }
        }
        if (!s.loggedIn) {
            return "530 Please login with USER and PASS.";
        }
        return switch (verb) {
            case "PWD", "XPWD" -> "257 \"" + s.cwd + "\" is the current directory";
            case "CWD", "XCWD" -> cwd(s, arg.isEmpty() ? s.home : arg);
            case "CDUP", "XCUP" -> cwd(s, "..");
            case "TYPE" -> type(s, arg);
            case "MODE" -> arg.equalsIgnoreCase("S") ? "200 Mode set to S." : "504 Bad MODE command.";
            case "STRU" -> arg.equalsIgnoreCase("F") ? "200 Structure set to F." : "504 Bad STRU command.";
            case "PASV" -> pasv(s, false);
            case "EPSV" -> arg.equalsIgnoreCase("ALL") ? "200 EPSV ALL ok." : pasv(s, true);
            case "PORT" -> port(s, arg);
            case "EPRT" -> eprt(s, arg);
            case "LIST", "NLST" -> list(s, arg, verb.equals("NLST"));
            case "RETR" -> retr(s, arg);
            case "STOR", "APPE", "STOU" -> stor(s, arg);
            case "SIZE" -> file(s, arg).map(f -> "213 " + f.size()).orElse("550 Could not get file size.");
            case "MDTM" ->
                file(s, arg)
                        .map(f -> "213 "
                                + DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT)
                                        .format(f.modified().atZone(ZoneOffset.UTC)))
                        .orElse("550 Could not get file modification time.");
            case "REST" -> rest(s, arg);
            case "DELE" ->
                s.fs.get(path(s, arg)).filter(File.class::isInstance).isPresent() && s.fs.remove(path(s, arg))
                        ? "250 Delete operation successful."
                        : "550 Delete operation failed.";
            case "MKD", "XMKD" ->
                s.fs.mkdir(path(s, arg), s.user, host.machine().clock().instant())
                                .isEmpty()
                        ? "257 \"" + path(s, arg) + "\" created"
                        : "550 Create directory operation failed.";
            case "RMD", "XRMD" ->
                s.fs.dir(path(s, arg)).isPresent() && s.fs.remove(path(s, arg))
                        ? "250 Remove directory operation successful."
                        : "550 Remove directory operation failed.";
            case "RNFR" -> {
                if (s.fs.get(path(s, arg)).isEmpty()) {
                    yield "550 RNFR command failed.";
                }
                s.renameFrom = path(s, arg);
                yield "350 Ready for RNTO.";
            }
            case "RNTO" -> s.renameFrom == null ? "503 RNFR required first." : "250 Rename successful.";
            case "STAT" ->
                "211-FTP server status:\r\n     Connected to "
                        + s.c.localAddress().getHostAddress()
                        + "\r\n     Logged in as " + s.user + "\r\n     TYPE: " + (s.binary ? "BINARY" : "ASCII")
                        + "\r\n     No session bandwidth limit\r\n     Session timeout in seconds is "
                        + limits.idleTimeoutSecs()
                        + "\r\n     Control connection is plain text\r\n     Data connections will be plain text\r\n"
                        + "     vsFTPd 3.0.3 - secure, fast, stable\r\n211 End of status";
            case "ABOR" -> "225 No transfer to ABOR.";
            case "SITE" -> "500 Unknown SITE command.";
            case "ALLO" -> "202 ALLO command ignored.";
            default -> "500 Unknown command.";
        };
    }

    private String path(Session s, String arg) {
        return FakeFileSystem.resolve(s.cwd, s.home, arg.strip());
    }

    private Optional<File> file(Session s, String arg) {
        return s.fs.get(path(s, arg)).filter(File.class::isInstance).map(File.class::cast);
    }

    private String cwd(Session s, String arg) {
        String p = path(s, arg);
        if (s.fs.dir(p).isEmpty()) {
            return "550 Failed to change directory.";
        }
        s.cwd = p;
        return "250 Directory successfully changed.";
    }

    private static String type(Session s, String arg) {
        String t = arg.strip().toUpperCase(Locale.ROOT);
        if (t.startsWith("I") || t.startsWith("L")) {
            s.binary = true;
            return "200 Switching to Binary mode.";
        }
        if (t.startsWith("A")) {
            s.binary = false;
            return "200 Switching to ASCII mode.";
        }
        return "500 Unrecognised TYPE command.";
    }

    private String rest(Session s, String arg) {
        try {
            s.restart = Math.max(0, Long.parseLong(arg.strip()));
            return "350 Restart position accepted (" + s.restart + ").";
        } catch (NumberFormatException e) {
            return "500 REST needs a number.";
        }
    }

    private String pasv(Session s, boolean extended) throws IOException {
        s.closeData();
        InetAddress local = s.c.localAddress();
        if (!extended && !(local instanceof Inet4Address)) {
            return "500 Illegal PASV command."; // PASV cannot carry an IPv6 address: clients use EPSV
        }
        ServerSocket ss = new ServerSocket();
        ss.bind(new InetSocketAddress(local, 0), 1);
        ss.setSoTimeout((int) DATA_TIMEOUT.toMillis());
        s.passive = ss;
        int port = ss.getLocalPort();
        if (extended) {
            return "229 Entering Extended Passive Mode (|||" + port + "|)";
        }
        return "227 Entering Passive Mode (" + local.getHostAddress().replace('.', ',') + "," + (port >> 8) + ","
                + (port & 0xff) + ").";
    }

    private String port(Session s, String arg) {
        String[] p = arg.strip().split(",");
        try {
            if (p.length != 6) {
                return "500 Illegal PORT command.";
            }
            InetAddress addr = InetAddress.getByName(p[0] + "." + p[1] + "." + p[2] + "." + p[3]);
            int port = Integer.parseInt(p[4]) * 256 + Integer.parseInt(p[5]);
            return activeTarget(s, addr, port)
                    ? "200 PORT command successful. Consider using PASV."
                    : "500 Illegal PORT command.";
        } catch (IOException | NumberFormatException e) {
            return "500 Illegal PORT command.";
        }
    }

    private String eprt(Session s, String arg) {
        String a = arg.strip();
        if (a.length() < 6) {
            return "500 Bad EPRT command.";
        }
        String[] p = a.substring(1).split(java.util.regex.Pattern.quote(String.valueOf(a.charAt(0))));
        try {
            if (p.length < 3 || !(p[0].equals("1") || p[0].equals("2"))) {
                return "500 Bad EPRT protocol.";
            }
            InetAddress addr = InetAddress.getByName(p[1]);
            return activeTarget(s, addr, Integer.parseInt(p[2]))
                    ? "200 EPRT command successful. Consider using EPSV."
                    : "500 Illegal EPRT command.";
        } catch (IOException | NumberFormatException e) {
            return "500 Bad EPRT command.";
        }
    }

    /** Only the client's own address and an unprivileged port: PORT cannot aim the sensor at a third party. */
    private static boolean activeTarget(Session s, InetAddress addr, int port) {
        if (!addr.equals(s.c.remoteAddress()) || port < 1024 || port > 65535) {
            s.c.record(s.c.event(EventAction.PROTOCOL_ERROR)
                    .level("WARN")
                    .message("ftp active-mode target refused: " + addr.getHostAddress() + ":" + port)
                    .build());
            return false;
        }
        s.closeData();
        s.active = new InetSocketAddress(addr, port);
        return true;
    }

    /** Opens the data connection the client asked for, or null after replying 425. */
    private Socket openData(Session s) throws IOException {
        if (s.passive != null) {
            try (ServerSocket ss = s.passive) {
                s.passive = null;
                Socket d = ss.accept();
                if (!d.getInetAddress().equals(s.c.remoteAddress())) {
                    d.close();
                    s.reply("425 Security: Bad IP connecting.");
                    return null;
                }
                d.setSoTimeout((int) DATA_TIMEOUT.toMillis());
                return d;
            } catch (java.net.SocketTimeoutException e) {
                s.reply("425 Failed to establish connection.");
                return null;
            }
        }
        if (s.active != null) {
            Socket d = new Socket();
            try {
                d.connect(s.active, (int) DATA_TIMEOUT.toMillis());
                d.setSoTimeout((int) DATA_TIMEOUT.toMillis());
                return d;
            } catch (IOException e) {
                d.close();
                s.reply("425 Failed to establish connection.");
                return null;
            } finally {
                s.active = null;
            }
        }
        s.reply("425 Use PORT or PASV first.");
        return null;
    }

    private String list(Session s, String arg, boolean namesOnly) throws IOException {
        String target = arg.strip();
        while (target.startsWith("-")) { // "LIST -la": options, as ls takes them
            int sp = target.indexOf(' ');
            target = sp < 0 ? "" : target.substring(sp + 1).strip();
        }
        String p = path(s, target.isEmpty() ? "." : target);
        Optional<Node> n = s.fs.get(p);
        Map<String, Node> entries = new TreeMap<>();
        if (n.isPresent() && n.get() instanceof Dir d) {
            d.children().forEach((k, v) -> {
                if (!k.startsWith(".")) {
                    entries.put(k, v);
                }
            });
        } else if (n.isPresent()) {
            entries.put(p.substring(p.lastIndexOf('/') + 1), n.get());
        }
        Socket d = openData(s);
        if (d == null) {
            return "";
        }
        s.reply("150 Here comes the directory listing.");
        try (d;
                OutputStream out = d.getOutputStream()) {
            StringBuilder b = new StringBuilder();
            DateTimeFormatter fmt = DateTimeFormatter.ofPattern("MMM dd HH:mm", Locale.ROOT);
            entries.forEach((name, node) -> {
                if (namesOnly) {
                    b.append(name).append("\r\n");
                } else {
                    long size = node instanceof File f ? f.size() : 4096;
                    String uid = node.owner().equals("root") ? "0" : "1000";
                    b.append(String.format(
                            Locale.ROOT,
                            "%s    1 %-8s %-8s %12d %s %s\r\n",
                            node.mode(),
                            uid,
                            uid,
                            size,
                            fmt.format(node.modified().atZone(ZoneOffset.UTC)),
                            name));
                }
            });
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
        }
        return "226 Directory send OK.";
    }

    private String retr(Session s, String arg) throws IOException {
        Optional<File> f = file(s, arg);
        long restart = s.restart;
        s.restart = 0;
        if (f.isEmpty()) {
            return "550 Failed to open file.";
        }
        Socket d = openData(s);
        if (d == null) {
            return "";
        }
        String name = arg.strip();
        s.reply("150 Opening " + (s.binary ? "BINARY" : "ASCII") + " mode data connection for " + name + " ("
                + f.get().size() + " bytes).");
        byte[] content = f.get().bytes();
        try (d;
                OutputStream out = d.getOutputStream()) {
            // the declared size is what clients expect: pad generated content (binaries) with zeros up to it
            long total = Math.min(f.get().size() > 0 ? f.get().size() : content.length, 64L << 20);
            long sent = 0;
            byte[] zeros = new byte[8192];
            for (long pos = restart; pos < total; ) {
                if (pos < content.length) {
                    int n = (int) Math.min(content.length - pos, total - pos);
                    out.write(content, (int) pos, n);
                    pos += n;
                    sent += n;
                } else {
                    int n = (int) Math.min(zeros.length, total - pos);
                    out.write(zeros, 0, n);
                    pos += n;
                    sent += n;
                }
            }
            s.c.record(s.c.event(EventAction.FILE_DOWNLOAD)
                    .url("ftp://" + s.c.localAddress().getHostAddress() + path(s, arg))
                    .message("ftp download of " + path(s, arg) + " (" + sent + " bytes)")
                    .build());
        }
        return "226 Transfer complete.";
    }

    private String stor(Session s, String arg) throws IOException {
        String name = arg.strip().isEmpty() ? "upload" : arg.strip();
        s.restart = 0;
        Socket d = openData(s);
        if (d == null) {
            return "";
        }
        s.reply("150 Ok to send data.");
        Quarantine.Stored stored;
        try (d;
                InputStream in = d.getInputStream()) {
            stored = quarantine.store(in);
        }
        String p = path(s, name);
        java.nio.file.Path kept = stored.path();
        s.fs.put(
                p,
                new File(
                        () -> head(kept),
                        stored.size(),
                        s.user,
                        "-rw-------",
                        host.machine().clock().instant()));
        s.c.record(s.c.event(EventAction.FILE_UPLOAD)
                .fileHash(stored.sha256())
                .fileName(p, stored.size())
                .outcome(!stored.truncated())
                .message("ftp upload " + p + " (" + stored.size() + " bytes"
                        + (stored.truncated() ? ", cut at the cap" : "") + ") sha256 " + stored.sha256())
                .build());
        return stored.truncated()
                ? "552 Requested file action aborted. Exceeded storage allocation."
                : "226 Transfer complete.";
    }

    /** The first 64 KiB of a quarantined file: what a later RETR of it sends (padded to its size). */
    private static byte[] head(java.nio.file.Path file) {
        try (InputStream in = java.nio.file.Files.newInputStream(file)) {
            return in.readNBytes(64 * 1024);
        } catch (IOException e) {
            return new byte[0];
        }
    }
}
