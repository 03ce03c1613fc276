package io.rustbucket.sensor.smtp;

import io.rustbucket.core.io.LineTooLongException;
import io.rustbucket.sensor.SensorLimits;
import io.rustbucket.sensor.listen.Connection;
import io.rustbucket.sensor.listen.ProtocolHandler;
import io.rustbucket.sensor.record.EventAction;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * An SMTP server as Postfix answers it: banner, EHLO with its extensions, an open-relay-looking MAIL/RCPT/DATA
 * (messages are captured, never delivered, bounded by {@code limits.body_max_bytes}), AUTH PLAIN and LOGIN whose
 * credentials are recorded and refused, and Postfix's replies and codes for everything else. Every command is
 * recorded with the answer sent.
 */
public final class SmtpHandler implements ProtocolHandler {
    static final int MAX_ERRORS = 20;
    static final int MAX_RECIPIENTS = 100;

    private final String hostname;
    private final String banner;
    private final SensorLimits limits;

    /** @param banner the full 220 line, e.g. {@code 220 mail.example.com ESMTP Postfix (Ubuntu)} */
    public SmtpHandler(String hostname, String banner, SensorLimits limits) {
        this.hostname = hostname;
        this.banner = banner;
        this.limits = limits;
    }

    @Override
    public void greet(Connection c) throws IOException {
        c.send(banner + "\r\n");
        c.record(c.event(EventAction.BANNER).response(banner, "emulator", 0).build());
    }

    @Override
    public void handle(Connection c) throws IOException {
        SmtpState state = SmtpState.CONNECTED;
        String from = null;
        List<String> rcpts = new ArrayList<>();
        int errors = 0;
        try {
            String line;
            while ((line = c.lines().readLineUtf8()) != null) {
                String verb =
                        (line.contains(" ") ? line.substring(0, line.indexOf(' ')) : line).toUpperCase(Locale.ROOT);
                String arg = line.contains(" ")
                        ? line.substring(line.indexOf(' ') + 1).strip()
                        : "";
                String reply;
                switch (verb) {
                    case "EHLO" -> {
                        reply = arg.isEmpty() ? "501 5.5.4 Syntax: EHLO hostname" : ehlo();
                        state = arg.isEmpty() ? state : SmtpState.GREETED;
                    }
                    case "HELO" -> {
                        reply = arg.isEmpty() ? "501 Syntax: HELO hostname" : "250 " + hostname;
                        state = arg.isEmpty() ? state : SmtpState.GREETED;
                    }
                    case "MAIL" -> {
                        if (state == SmtpState.CONNECTED) {
                            reply = "503 5.5.1 Error: send HELO/EHLO first";
                        } else if (state != SmtpState.GREETED) {
                            reply = "503 5.5.1 Error: nested MAIL command";
                        } else if (!arg.toUpperCase(Locale.ROOT).startsWith("FROM:")) {
                            reply = "501 5.5.4 Syntax: MAIL FROM:<address>";
                        } else {
                            from = address(arg.substring(5));
                            state = SmtpState.MAIL;
                            reply = "250 2.1.0 Ok";
                        }
                    }
                    case "RCPT" -> {
                        if (state != SmtpState.MAIL && state != SmtpState.RCPT) {
                            reply = "503 5.5.1 Error: need MAIL command";
                        } else if (!arg.toUpperCase(Locale.ROOT).startsWith("TO:")) {
                            reply = "501 5.5.4 Syntax: RCPT TO:<address>";
                        } else if (rcpts.size() >= MAX_RECIPIENTS) {
                            reply = "452 4.5.3 Error: too many recipients";
                        } else {
                            rcpts.add(address(arg.substring(3)));
                            state = SmtpState.RCPT;
                            reply = "250 2.1.5 Ok";
                        }
                    }
                    case "DATA" -> {
                        if (state != SmtpState.RCPT) {
                            reply = state == SmtpState.MAIL
                                    ? "554 5.5.1 Error: no valid recipients"
                                    : "503 5.5.1 Error: need RCPT command";
                        } else {
                            c.send("354 End data with <CR><LF>.<CR><LF>\r\n");
                            reply = data(c, from, rcpts);
                            state = SmtpState.GREETED;
                            from = null;
                            rcpts.clear();
                        }
                    }
                    case "RSET" -> {
                        state = state == SmtpState.CONNECTED ? state : SmtpState.GREETED;
                        from = null;
                        rcpts.clear();
                        reply = "250 2.0.0 Ok";
                    }
                    case "NOOP" -> reply = "250 2.0.0 Ok";
                    case "VRFY" -> reply = "252 2.0.0 " + arg;
                    case "AUTH" -> reply = auth(c, arg, state);
                    case "STARTTLS" -> reply = "502 5.5.1 Error: command not implemented";
                    case "QUIT" -> {
                        record(c, line, "221 2.0.0 Bye");
                        c.send("221 2.0.0 Bye\r\n");
                        return;
                    }
                    default -> reply = "502 5.5.2 Error: command not recognized";
                }
                if (reply.startsWith("5")) {
                    errors++;
                }
                record(c, line, reply);
                c.send(reply + "\r\n");
                if (errors >= MAX_ERRORS) {
                    c.send("421 4.7.0 " + hostname + " Error: too many errors\r\n");
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            c.send("421 4.4.2 " + hostname + " Error: timeout exceeded\r\n");
            throw e;
        } catch (LineTooLongException e) {
            c.send("500 5.5.0 Error: line too long\r\n");
            throw e;
        }
    }

    private String ehlo() {
        return "250-" + hostname + "\r\n250-PIPELINING\r\n250-SIZE " + limits.bodyMaxBytes()
                + "\r\n250-VRFY\r\n250-ETRN\r\n250-AUTH PLAIN LOGIN\r\n250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250 DSN";
    }

    /** Reads a message up to the lone dot, undoing dot-stuffing; keeps at most body_max_bytes. */
    private String data(Connection c, String from, List<String> rcpts) throws IOException {
        StringBuilder body = new StringBuilder();
        long size = 0;
        boolean tooBig = false;
        String line;
        while ((line = c.lines().readLineUtf8()) != null && !line.equals(".")) {
            String unstuffed = line.startsWith(".") ? line.substring(1) : line;
            size += unstuffed.length() + 2;
            if (size > limits.bodyMaxBytes()) {
                tooBig = true; // keep reading to the end so the client gets its answer in sync
            } else {
                body.append(unstuffed).append("\r\n");
            }
        }
        if (line == null) {
            throw new java.io.EOFException("connection closed in DATA");
        }
        if (tooBig) {
            return "552 5.3.4 Error: message file too big";
        }
        String queueId = HexFormat.of()
                .formatHex(sha256(body.toString()))
                .substring(0, 10)
                .toUpperCase(Locale.ROOT);
        String reply = "250 2.0.0 Ok: queued as " + queueId;
        c.record(c.event(EventAction.MAIL_MESSAGE)
                .input(body.toString())
                .fileHash(HexFormat.of().formatHex(sha256(body.toString())))
                .message("mail from <" + from + "> to " + rcpts + ", " + size + " bytes, subject: "
                        + subject(body.toString()))
                .response(reply, "emulator", 0)
                .build());
        return reply;
    }

    /** AUTH PLAIN (initial response or after 334) and AUTH LOGIN: record the credentials, refuse them. */
    private String auth(Connection c, String arg, SmtpState state) throws IOException {
        if (state == SmtpState.CONNECTED) {
            return "503 5.5.1 Error: send HELO/EHLO first";
        }
        String[] parts = arg.split(" ", 2);
        String mechanism = parts[0].toUpperCase(Locale.ROOT);
        String user;
        String password;
        if (mechanism.equals("PLAIN")) {
            String initial = parts.length > 1 ? parts[1] : prompt(c, "334 ");
            String[] fields = decode(initial).split("\u0000", -1);
            user = fields.length > 1 ? fields[1] : "";
            password = fields.length > 2 ? fields[2] : "";
        } else if (mechanism.equals("LOGIN")) {
            user = decode(parts.length > 1 ? parts[1] : prompt(c, "334 VXNlcm5hbWU6"));
            password = decode(prompt(c, "334 UGFzc3dvcmQ6"));
        } else {
            return "535 5.7.8 Error: authentication failed: Invalid authentication mechanism";
        }
        String reply = "535 5.7.8 Error: authentication failed: authentication failure";
        c.record(c.event(EventAction.LOGIN_ATTEMPT)
                .user(user, password)
                .input("AUTH " + mechanism)
                .response(reply, "emulator", 0)
                .build());
        return reply;
    }

    private static String prompt(Connection c, String challenge) throws IOException {
        c.send(challenge + "\r\n");
        String answer = c.lines().readLineUtf8();
        if (answer == null) {
            throw new java.io.EOFException("connection closed in AUTH");
        }
        return answer.strip();
    }

    private static String decode(String b64) {
        try {
            return new String(Base64.getDecoder().decode(b64.strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "<invalid base64: " + b64 + ">";
        }
    }

    private static String address(String s) {
        String a = s.strip();
        int sp = a.indexOf(' '); // SIZE=, BODY= parameters
        if (sp > 0) {
            a = a.substring(0, sp);
        }
        return a.replace("<", "").replace(">", "");
    }

    private static String subject(String body) {
        for (String l : body.split("\r\n")) {
            if (l.isEmpty()) {
                break; // end of headers
            }
            if (l.regionMatches(true, 0, "Subject:", 0, 8)) {
                return l.substring(8).strip();
            }
        }
        return "";
    }

    private static void record(Connection c, String input, String reply) {
        c.record(c.event(EventAction.COMMAND)
                .input(input)
                .response(reply, "emulator", 0)
                .build());
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
