package io.rustbucket.core.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;

/**
 * The platform's one JSON configuration. Reads are bounded (nesting depth, string and number length) because
 * every API body may come from an attacker; dates are ISO-8601 strings in UTC; names are snake_case, as every
 * contract of the platform spells them.
 */
public final class Json {
    /** Deepest nesting accepted in any JSON input; stops stack exhaustion from 10,000-deep arrays. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Longest single string accepted; bodies are capped separately by the HTTP layer. */
    public static final int MAX_STRING_CHARS = 16 * 1024 * 1024;

    private static final ObjectMapper MAPPER = configure(JsonMapper.builder()).build();

    private Json() {}

    /** Returns the shared mapper (thread-safe, lenient about unknown properties). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Applies the platform's read limits and date handling to any Jackson mapper builder (JSON or TOML). */
    public static <M extends ObjectMapper, B extends com.fasterxml.jackson.databind.cfg.MapperBuilder<M, B>>
            B configure(B builder) {
        builder.addModule(new JavaTimeModule())
                .propertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE);
        return builder;
    }

    static {
        MAPPER.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
                        .maxStringLength(MAX_STRING_CHARS)
                        .maxNumberLength(100)
                        .build());
    }

    /** Serialises a value to a JSON string. */
    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
