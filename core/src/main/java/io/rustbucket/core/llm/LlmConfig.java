package io.rustbucket.core.llm;

import static io.rustbucket.core.config.ConfigException.require;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code [llm]} table: named models and the default one. Without configuration the platform has one model,
 * {@code offline}, built in and deterministic. When {@code OPENAI_API_KEY} or {@code ANTHROPIC_API_KEY}
 * ({@code CLAUDE_API_KEY}) is set, models named {@code openai} and {@code claude} appear unless configured.
 *
 * @param defaultModel the model used when a caller names none
 * @param maxConcurrencyPerCaller calls in flight per caller (sensor, analyst, one assistant user, ...)
 */
public record LlmConfig(String defaultModel, Integer maxConcurrencyPerCaller, Map<String, ModelConfig> models) {
    public static final String OFFLINE = "offline";

    public LlmConfig {
        defaultModel = defaultModel == null || defaultModel.isBlank() ? OFFLINE : defaultModel.trim();
        maxConcurrencyPerCaller = maxConcurrencyPerCaller == null ? 4 : maxConcurrencyPerCaller;
        require(
                maxConcurrencyPerCaller >= 1 && maxConcurrencyPerCaller <= 1000,
                "llm.max_concurrency_per_caller",
                maxConcurrencyPerCaller,
                "1..1000");
        models = models == null ? Map.of() : Map.copyOf(models);
    }

    public static LlmConfig defaults() {
        return new LlmConfig(null, null, null);
    }

    /** The models in effect: configured ones, plus {@code offline}, plus env-keyed providers not configured. */
    public Map<String, ModelConfig> effectiveModels(Map<String, String> env) {
        Map<String, ModelConfig> all = new LinkedHashMap<>();
        all.put(OFFLINE, ModelConfig.offline());
        String openAiKey = firstNonBlank(env.get("OPENAI_API_KEY"), env.get("CHATGPT_API_KEY"));
        if (openAiKey != null) {
            all.put(
                    "openai",
                    new ModelConfig(ModelConfig.Provider.OPENAI, "gpt-4o-mini", null, null, null, null, null, null));
        }
        if (firstNonBlank(env.get("ANTHROPIC_API_KEY"), env.get("CLAUDE_API_KEY")) != null) {
            all.put(
                    "claude",
                    new ModelConfig(
                            ModelConfig.Provider.ANTHROPIC, "claude-sonnet-4-5", null, null, null, null, null, null));
        }
        all.putAll(models);
        require(all.containsKey(defaultModel), "llm.default_model", defaultModel, "one of " + all.keySet());
        return all;
    }

    static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
