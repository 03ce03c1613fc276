package io.rustbucket.alerts.notify;

import io.rustbucket.alerts.incident.Alert;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/** Alerts by e-mail over SMTP: implicit TLS (port 465), STARTTLS (required, not opportunistic) or plain. */
public final class EmailNotifier implements Notifier {
    private final EmailConfig config;
    private final String consoleUrl;
    private final Session session;

    public EmailNotifier(EmailConfig config, String consoleUrl) {
        this.config = config;
        this.consoleUrl = consoleUrl;
        Properties p = new Properties();
        p.put("mail.smtp.host", config.host());
        p.put("mail.smtp.port", String.valueOf(config.port()));
        String ms = String.valueOf(config.timeoutSecs() * 1000L);
        p.put("mail.smtp.connectiontimeout", ms);
        p.put("mail.smtp.timeout", ms);
        p.put("mail.smtp.writetimeout", ms);
        switch (config.tls()) {
            case IMPLICIT -> p.put("mail.smtp.ssl.enable", "true");
            case STARTTLS -> {
                p.put("mail.smtp.starttls.enable", "true");
                p.put("mail.smtp.starttls.required", "true");
            }
            case NONE -> {}
        }
        if (config.tls() != EmailConfig.Tls.NONE) {
            // Named trusted hosts are trusted for whatever certificate they show (a relay with a self-signed one);
            // every other host needs a CA-signed certificate that names it.
            p.put(
                    "mail.smtp.ssl.checkserveridentity",
                    String.valueOf(config.trustHosts().isEmpty()));
            if (!config.trustHosts().isEmpty()) {
                p.put("mail.smtp.ssl.trust", String.join(" ", config.trustHosts()));
            }
        }
        if (config.username() != null) {
            p.put("mail.smtp.auth", "true");
        }
        this.session = Session.getInstance(p);
    }

    @Override
    public String channel() {
        return "email";
    }

    @Override
    public Route route() {
        return config.route();
    }

    @Override
    public void send(Alert alert, Alert.Event event, String deliveryId) {
        try {
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress(config.from()));
            Address[] to = config.to().stream().map(EmailNotifier::address).toArray(Address[]::new);
            m.setRecipients(Message.RecipientType.TO, to);
            m.setSubject(Notices.subject(alert, event), StandardCharsets.UTF_8.name());
            m.setText(Notices.body(alert, event, consoleUrl), StandardCharsets.UTF_8.name());
            m.setSentDate(new Date());
            m.setHeader("X-Rustbucket-Alert", alert.id());
            if (config.username() != null) {
                Transport.send(m, config.username(), config.password());
            } else {
                Transport.send(m);
            }
        } catch (AuthenticationFailedException e) {
            throw new NotifyException("SMTP login refused for " + config.username(), true, null, e);
        } catch (SendFailedException e) {
            // Some recipients refused: those that took it have it, so a retry would send them a duplicate.
            throw new NotifyException("recipients refused: " + e.getMessage(), true, null, e);
        } catch (MessagingException e) {
            throw new NotifyException(
                    "SMTP " + config.host() + ":" + config.port() + ": " + rootMessage(e), false, null, e);
        }
    }

    private static InternetAddress address(String a) {
        try {
            return new InternetAddress(a, true);
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalStateException("bad recipient " + a, e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
