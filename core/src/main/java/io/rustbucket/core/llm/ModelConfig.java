package io.rustbucket.core.llm;

import static io.rustbucket.core.config.ConfigException.require;

import java.time.Duration;

/**
 * One named model in {@code [llm.models.NAME]}.
 *
 * @param provider {@code offline}, {@code openai} (any OpenAI-compatible server), {@code anthropic} or {@code ollama}
 * @param model the provider's model id ({@code gpt-4o-mini}, {@code claude-sonnet-4-5}, {@code llama3.2})
 * @param baseUrl server URL; empty = the provider's public API (or {@code OPENAI_BASE_URL}, {@code OLLAMA_BASE_URL})
 * @param apiKey key; empty = {@code OPENAI_API_KEY} / {@code ANTHROPIC_API_KEY} from the environment
 * @param timeoutSecs deadline of one call
 * @param maxTokens default output limit
 * @param maxConcurrency calls of this model in flight at once; more wait, then fail as busy
 */
public record ModelConfig(
        Provider provider,
        String model,
        String baseUrl,
        String apiKey,
        Integer timeoutSecs,
        Integer maxTokens,
        Double temperature,
        Integer maxConcurrency) {
    public enum Provider {
        OFFLINE,
        OPENAI,
        ANTHROPIC,
        OLLAMA
    }

    public ModelConfig {
        provider = provider == null ? Provider.OFFLINE : provider;
        model = model == null ? "" : model.trim();
        require(
                provider == Provider.OFFLINE || !model.isEmpty(),
                "llm.models.*.model",
                model,
                "a model id for provider " + provider.name().toLowerCase(java.util.Locale.ROOT));
        baseUrl = baseUrl == null ? "" : baseUrl.trim().replaceAll("/+$", "");
        require(
                baseUrl.isEmpty() || baseUrl.startsWith("http://") || baseUrl.startsWith("https://"),
                "llm.models.*.base_url",
                baseUrl,
                "an http:// or https:// URL");
        apiKey = apiKey == null ? "" : apiKey.trim();
        timeoutSecs = timeoutSecs == null ? 30 : timeoutSecs;
        require(timeoutSecs >= 1 && timeoutSecs <= 3600, "llm.models.*.timeout_secs", timeoutSecs, "1..3600");
        maxTokens = maxTokens == null ? 1024 : maxTokens;
        require(maxTokens >= 1 && maxTokens <= 1_000_000, "llm.models.*.max_tokens", maxTokens, "1..1000000");
        temperature = temperature == null ? 0.7 : temperature;
        require(temperature >= 0 && temperature <= 2, "llm.models.*.temperature", temperature, "0..2");
        maxConcurrency = maxConcurrency == null ? 8 : maxConcurrency;
        require(
                maxConcurrency >= 1 && maxConcurrency <= 1000,
                "llm.models.*.max_concurrency",
                maxConcurrency,
                "1..1000");
    }

    public static ModelConfig offline() {
        return new ModelConfig(Provider.OFFLINE, "offline", null, null, null, null, null, null);
    }

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSecs);
    }

    @Override
    public String toString() {
        return "ModelConfig[" + provider + " " + model + " " + baseUrl + "]"; // never the key
    }
}
