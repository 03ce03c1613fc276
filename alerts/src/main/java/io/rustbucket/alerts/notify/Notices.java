package io.rustbucket.alerts.notify;

import io.rustbucket.alerts.incident.Alert;
import java.util.Locale;

/** The words of a notice, the same on every channel: subject {@code [SEVERITY][KIND] ...} and a plain-text body. */
final class Notices {
    private Notices() {}

    static String subject(Alert a, Alert.Event event) {
        String prefix = switch (event) {
            case OPENED -> "";
            case ESCALATED -> "Escalated: ";
            case RESOLVED -> "Resolved: ";
        };
        return "[" + a.severity().name() + "][" + a.kind().toUpperCase(Locale.ROOT) + "] " + prefix + a.title();
    }

    static String body(Alert a, Alert.Event event, String consoleUrl) {
        StringBuilder b = new StringBuilder();
        b.append(subject(a, event)).append("\n\n");
        if (a.detail() != null && !a.detail().isBlank()) {
            b.append(a.detail()).append("\n\n");
        }
        b.append("status: ").append(a.status().id()).append('\n');
        b.append("opened: ").append(a.openedAt()).append('\n');
        if (a.resolvedAt() != null) {
            b.append("resolved: ")
                    .append(a.resolvedAt())
                    .append(" by ")
                    .append(a.resolvedBy())
                    .append('\n');
        }
        b.append("alert: ").append(a.id()).append(" (").append(a.ruleKey()).append(")\n");
        if (consoleUrl != null && !consoleUrl.isBlank()) {
            b.append(consoleUrl.replaceAll("/+$", ""))
                    .append("/api/alerts/")
                    .append(a.id())
                    .append('\n');
        }
        return b.toString();
    }
}
