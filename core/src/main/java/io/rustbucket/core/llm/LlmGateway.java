package io.rustbucket.core.llm;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.rustbucket.core.health.Incident;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way the platform talks to language models: named models from configuration, a blocking and a
 * streaming call, each with a deadline, cancellation, a concurrency limit per caller and per model, and usage
 * accounting. Each call runs on its own virtual thread; providers see only interruption.
 */
public final class LlmGateway implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LlmGateway.class);

    /** Token totals of one model since start. */
    public record ModelUsage(String model, long calls, long failures, long inputTokens, long outputTokens) {}

    private final Map<String, ModelConfig> models;
    private final String defaultModel;
    private final int perCaller;
    private final Clock clock;
    private final MeterRegistry metrics;
    private final Map<ModelConfig.Provider, ChatProvider> providers;
    private final Map<String, Semaphore> callerSlots = new ConcurrentHashMap<>();
    private final Map<String, Semaphore> modelSlots = new ConcurrentHashMap<>();
    private final Map<String, LongAdder[]> usage = new ConcurrentHashMap<>();
    private final Map<String, Incident> incidents = new ConcurrentHashMap<>();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("llm-deadlines").factory());

    private final UsageRecorder recorder;

    public LlmGateway(LlmConfig config, Map<String, String> env, Clock clock, MeterRegistry metrics) {
        this(config, env, clock, metrics, UsageRecorder.NONE);
    }

    /** @param recorder told of every finished call (the platform's {@link UsageLedger}) */
    public LlmGateway(
            LlmConfig config, Map<String, String> env, Clock clock, MeterRegistry metrics, UsageRecorder recorder) {
        this.recorder = recorder;
        this.models = config.effectiveModels(env);
        this.defaultModel = config.defaultModel();
        this.perCaller = config.maxConcurrencyPerCaller();
        this.clock = clock;
        this.metrics = metrics;
        ProviderHttp http = new ProviderHttp(ProviderHttp.newClient());
        this.providers = Map.of(
                ModelConfig.Provider.OFFLINE, new OfflineProvider(),
                ModelConfig.Provider.OPENAI, new OpenAiProvider(http, env),
                ModelConfig.Provider.ANTHROPIC, new AnthropicProvider(http, env),
                ModelConfig.Provider.OLLAMA, new OllamaProvider(http, env));
        models.forEach((name, m) -> modelSlots.put(name, new Semaphore(m.maxConcurrency(), true)));
    }

    public List<String> models() {
        return List.copyOf(models.keySet());
    }

    public String defaultModel() {
        return defaultModel;
    }

    public Optional<ModelConfig> model(String name) {
        return Optional.ofNullable(models.get(name));
    }

    /**
     * Asks a model and waits for the whole answer.
     *
     * @param caller who is asking ({@code sensor}, {@code registry.analyst}, {@code assistant:<user id>}); limits and
     *     accounting are per caller, and a caller {@code kind:<user id>} is accounted to that user
     * @param model a configured model name; null = the default model
     * @throws LlmException on failure, deadline ({@code TIMEOUT}) or cancellation
     */
    public LlmResult complete(String caller, String model, LlmRequest request) {
        LlmCall call = stream(caller, model, request, t -> {});
        try {
            LlmResult r = call.result().get();
            if (r.finishReason() == FinishReason.TIMEOUT || r.finishReason() == FinishReason.CANCELLED) {
                LlmException.Kind kind = r.finishReason() == FinishReason.TIMEOUT
                        ? LlmException.Kind.TIMEOUT
                        : LlmException.Kind.CANCELLED;
                throw new LlmException(kind, "model call " + r.finishReason().id(), 0, null, r.text(), null);
            }
            return r;
        } catch (InterruptedException e) {
            call.cancel();
            Thread.currentThread().interrupt();
            throw new LlmException(LlmException.Kind.CANCELLED, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof LlmException le) {
                throw le;
            }
            throw new LlmException(LlmException.Kind.PROTOCOL, String.valueOf(e.getCause()), 0, null, "", e.getCause());
        }
    }

    /**
     * Starts a streaming call; tokens go to the listener on the call's thread as they arrive.
     *
     * @throws LlmException UNKNOWN_MODEL at once when the model is not configured
     */
    public LlmCall stream(String caller, String model, LlmRequest request, TokenListener listener) {
        String name = model == null || model.isBlank() ? defaultModel : model;
        ModelConfig config = models.get(name);
        if (config == null) {
            throw new LlmException(
                    LlmException.Kind.UNKNOWN_MODEL, "no model named '" + name + "'; configured: " + models.keySet());
        }
        LlmRequest effective = request.timeout() == null ? request.withTimeout(config.timeout()) : request;
        LlmCall call = new LlmCall();
        Thread worker = Thread.ofVirtual()
                .name("llm-" + name)
                .unstarted(() -> run(call, caller, name, config, effective, listener));
        call.bind(worker);
        ScheduledFuture<?> deadline = deadlines.schedule(
                () -> call.stop(FinishReason.TIMEOUT), effective.timeout().toMillis(), TimeUnit.MILLISECONDS);
        call.future().whenComplete((r, e) -> deadline.cancel(false));
        worker.start();
        return call;
    }

    /** Token totals per model since start. */
    public List<ModelUsage> usage() {
        return usage.entrySet().stream()
                .map(e -> new ModelUsage(
                        e.getKey(),
                        e.getValue()[0].sum(),
                        e.getValue()[1].sum(),
                        e.getValue()[2].sum(),
                        e.getValue()[3].sum()))
                .sorted(java.util.Comparator.comparing(ModelUsage::model))
                .toList();
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
    }

    /** What one running call accumulates; passed whole instead of seven arguments. */
    private static final class CallState {
        final LlmCall call;
        final String caller;
        final String model;
        final LlmRequest request;
        final Instant started;
        final StringBuilder text = new StringBuilder();
        Instant firstToken;

        CallState(LlmCall call, String caller, String model, LlmRequest request, Instant started) {
            this.call = call;
            this.caller = caller;
            this.model = model;
            this.request = request;
            this.started = started;
        }
    }

    private void run(
            LlmCall call, String caller, String name, ModelConfig config, LlmRequest request, TokenListener listener) {
        CallState st = new CallState(call, caller, name, request, clock.instant());
        Semaphore callerSlot = callerSlots.computeIfAbsent(caller, c -> new Semaphore(perCaller, true));
        Semaphore modelSlot = modelSlots.get(name);
        boolean haveCaller = false;
        boolean haveModel = false;
        try {
            long waitMs = request.timeout().toMillis();
            haveCaller = callerSlot.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
            if (!haveCaller) {
                throw new LlmException(LlmException.Kind.BUSY, caller + " has " + perCaller + " model calls in flight");
            }
            haveModel = modelSlot.tryAcquire(waitMs, TimeUnit.MILLISECONDS);
            if (!haveModel) {
                throw new LlmException(
                        LlmException.Kind.BUSY,
                        "model " + name + " has " + config.maxConcurrency() + " calls in flight");
            }
            Consumer<String> sink = piece -> {
                if (call.stopReason() != null) {
                    throw new StoppedException();
                }
                if (st.firstToken == null) {
                    st.firstToken = clock.instant();
                }
                st.text.append(piece);
                listener.onToken(piece);
            };
            ChatProvider.Outcome outcome = providers.get(config.provider()).stream(config, request, sink);
            if (call.stopReason() != null) {
                throw new StoppedException();
            }
            incident(name).succeeded();
            finish(st, outcome.reason(), outcome.inputTokens(), outcome.outputTokens());
        } catch (StoppedException | InterruptedException e) {
            if (!haveModel && call.stopReason() == FinishReason.TIMEOUT) {
                // The deadline passed while waiting for a slot: the call never started, so it is busy.
                fail(
                        st,
                        new LlmException(
                                LlmException.Kind.BUSY,
                                "no free slot for " + caller + " on model " + name + " before the deadline"));
            } else {
                stopped(st);
            }
        } catch (LlmException e) {
            // BUSY wins over a deadline that fired at the same moment: the slot wait and the deadline are equal
            if (call.stopReason() != null && e.kind() != LlmException.Kind.BUSY) {
                stopped(st);
            } else {
                fail(st, e.withPartial(st.text.toString()));
            }
        } catch (IOException e) {
            if (call.stopReason() != null) {
                stopped(st);
            } else {
                LlmException.Kind kind = e instanceof com.fasterxml.jackson.core.JsonProcessingException
                                || e instanceof io.rustbucket.core.io.LineTooLongException
                        ? LlmException.Kind.PROTOCOL
                        : LlmException.Kind.UNAVAILABLE;
                fail(
                        st,
                        new LlmException(
                                kind, "model " + name + ": " + e.getMessage(), 0, null, st.text.toString(), e));
            }
        } catch (RuntimeException e) {
            fail(
                    st,
                    new LlmException(
                            LlmException.Kind.PROTOCOL, "model " + name + ": " + e, 0, null, st.text.toString(), e));
        } finally {
            if (haveModel) {
                modelSlot.release();
            }
            if (haveCaller) {
                callerSlot.release();
            }
            Thread.interrupted(); // clear a late interrupt so the virtual thread ends clean
        }
    }

    private void stopped(CallState st) {
        finish(st, st.call.stopReason() == null ? FinishReason.CANCELLED : st.call.stopReason(), null, null);
    }

    private void finish(CallState st, FinishReason reason, Integer inputTokens, Integer outputTokens) {
        boolean estimated = inputTokens == null || outputTokens == null;
        int in = inputTokens != null
                ? inputTokens
                : estimate(st.request.messages().stream()
                        .mapToInt(m -> m.content().length())
                        .sum());
        int out = outputTokens != null ? outputTokens : estimate(st.text.length());
        Instant now = clock.instant();
        LlmUsage u = new LlmUsage(
                in,
                out,
                Duration.between(st.started, now),
                st.firstToken == null ? null : Duration.between(st.started, st.firstToken),
                estimated);
        LongAdder[] totals = totals(st.model);
        totals[0].increment();
        totals[2].add(in);
        totals[3].add(out);
        tokens(st, "input").increment(in);
        tokens(st, "output").increment(out);
        calls(st.model, reason.id()).increment();
        record(st, false, in, out);
        st.call.future().complete(new LlmResult(st.model, st.text.toString(), reason, u));
    }

    private void fail(CallState st, LlmException e) {
        totals(st.model)[1].increment();
        calls(st.model, "error").increment();
        record(st, true, 0, 0);
        if (e.kind() == LlmException.Kind.UNAVAILABLE || e.kind() == LlmException.Kind.UPSTREAM && e.status() >= 500) {
            incident(st.model).failed(e);
        } else if (e.kind() != LlmException.Kind.BUSY) {
            log.warn("model call failed: {} ({})", e.getMessage(), e.kind());
        }
        st.call.future().completeExceptionally(e);
    }

    private void record(CallState st, boolean failed, int in, int out) {
        try {
            recorder.record(st.caller, st.model, failed, in, out);
        } catch (RuntimeException e) { // accounting must never fail the call it accounts for
            log.warn("model usage not recorded: {}", e.toString());
        }
    }

    private Counter tokens(CallState st, String direction) {
        return Counter.builder("llm_tokens_total")
                .tag("model", st.model)
                .tag("caller", callerKind(st.caller))
                .tag("direction", direction)
                .register(metrics);
    }

    private Counter calls(String model, String finish) {
        return Counter.builder("llm_calls_total")
                .tag("model", model)
                .tag("finish", finish)
                .register(metrics);
    }

    private LongAdder[] totals(String name) {
        return usage.computeIfAbsent(
                name, n -> new LongAdder[] {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder()});
    }

    private Incident incident(String name) {
        return incidents.computeIfAbsent(name, n -> new Incident("model " + n, clock));
    }

    /** Metrics label: the caller up to its first ':' so per-user callers do not explode cardinality. */
    private static String callerKind(String caller) {
        int colon = caller.indexOf(':');
        return colon < 0 ? caller : caller.substring(0, colon);
    }

    private static int estimate(int chars) {
        return (chars + 3) / 4;
    }

    /** Thrown inside the sink to unwind a provider once the call was cancelled or timed out. */
    private static final class StoppedException extends RuntimeException {
        StoppedException() {
            super(null, null, false, false);
        }
    }
}
