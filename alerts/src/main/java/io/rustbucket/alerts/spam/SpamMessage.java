package io.rustbucket.alerts.spam;

/**
 * A message to judge.
 *
 * @param group the group's id ({@code tg:-1001234}, {@code room:ops}, {@code smtp:sensor-1}); null = the default
 *     settings
 * @param userId the sender's id in that group; null when unknown (no per-user history then)
 * @param text the text or the media caption
 * @param media the message carries a photo, video, animation or document
 * @param privileged sent by an owner or admin of the group (or anonymously on the group's behalf): never punished
 */
public record SpamMessage(
        String group, String userId, String userName, String text, boolean media, boolean privileged) {
    public SpamMessage {
        text = text == null ? "" : text;
    }

    public static SpamMessage of(String text) {
        return new SpamMessage(null, null, null, text, false, false);
    }
}
