package io.rustbucket.sensor.record;

import java.util.Arrays;
import java.util.Optional;

/** The catalog of {@code event.action} values the sensor records; the recorder, tests and docs share this one list. */
public enum EventAction {
    CONNECTION_OPEN("connection.open", "network"),
    BANNER("banner", "network"),
    LOGIN_ATTEMPT("login.attempt", "authentication"),
    COMMAND("command", "process"),
    HTTP_REQUEST("http.request", "web"),
    MAIL_MESSAGE("mail.message", "email"),
    FILE_UPLOAD("file.upload", "file"),
    FILE_DOWNLOAD("file.download", "file"),
    LIMIT_EXCEEDED("limit.exceeded", "network"),
    PROTOCOL_ERROR("protocol.error", "network"),
    CONNECTION_CLOSE("connection.close", "network");

    private final String id;
    private final String category;

    EventAction(String id, String category) {
        this.id = id;
        this.category = category;
    }

    /** The {@code event.action} value. */
    public String id() {
        return id;
    }

    /** The ECS {@code event.category} it belongs to. */
    public String category() {
        return category;
    }

    public static Optional<EventAction> of(String id) {
        return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
    }
}
