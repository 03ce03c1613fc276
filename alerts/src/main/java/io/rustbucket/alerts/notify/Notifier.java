package io.rustbucket.alerts.notify;

import io.rustbucket.alerts.incident.Alert;

/** A channel alerts go out on. Implementations do one attempt; {@link Deliveries} retries. */
public interface Notifier {
    /** {@code email}, {@code telegram} or {@code webhook}: the name deliveries are recorded under. */
    String channel();

    /** Which alerts this channel wants. */
    Route route();

    /**
     * Sends one notice.
     *
     * @throws NotifyException when it did not go out
     */
    void send(Alert alert, Alert.Event event, String deliveryId);
}
