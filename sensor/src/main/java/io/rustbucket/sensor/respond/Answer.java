package io.rustbucket.sensor.respond;

/**
 * What an attacker is told, and where it came from.
 *
 * @param source {@code emulator}, {@code cache}, {@code llm} or {@code fallback} (recorded as
 *     {@code honeypot.responder})
 */
public record Answer(String text, String source) {
    public static final String EMULATOR = "emulator";
    public static final String CACHE = "cache";
    public static final String LLM = "llm";
    public static final String FALLBACK = "fallback";
}
