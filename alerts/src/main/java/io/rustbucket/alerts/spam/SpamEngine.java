package io.rustbucket.alerts.spam;

import io.rustbucket.core.llm.LlmGateway;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The layered spam check. Cheap deterministic checks first, then similarity to known spam and the Naive Bayes
 * classifier, then (when the group asks for it) the model. Every layer adds log-odds to one score; the verdict is
 * spam when the score reaches the group's threshold (the strict one for a user's first messages). Owners, admins
 * and trusted users are never judged. Every check that ran is in the verdict, fired or not, with its reason.
 */
public final class SpamEngine {
    /** Prior log-odds of spam before any check: most messages in a group are not spam. */
    static final double PRIOR = -2.0;

    static final double SIMILARITY = 4.0;
    static final double FLOOD = 5.0;
    static final double MEDIA_ONLY_NEW_USER = 2.5;
    /** The classifier's say is capped so one layer cannot outvote every other. */
    static final double MAX_BAYES = 8.0;

    private final BayesClassifier bayes = new BayesClassifier();
    private final SimilarityIndex similar = new SimilarityIndex();
    private final FloodDetector flood = new FloodDetector();
    private final StopWords defaultStopWords;
    /** Compiled per settings object (by identity: lists are compared in O(n)); guarded by itself. */
    private final Map<List<String>, StopWords> groupStopWords = new IdentityHashMap<>();

    private final LlmCheck llm;
    private final Clock clock;

    /** @param gateway the model gateway; null = the model layer is never asked */
    public SpamEngine(Clock clock, LlmGateway gateway) {
        this.clock = clock;
        this.llm = gateway == null ? null : new LlmCheck(gateway);
        this.defaultStopWords = new StopWords(builtInStopWords());
    }

    /** Teaches a labelled text (a sample or admin feedback). */
    public void learn(String text, boolean spam) {
        MessageText m = MessageText.of(text);
        bayes.learn(m.features(), spam);
        if (spam) {
            similar.add(m.words());
        }
    }

    /** Takes back a text taught with the other label (feedback correcting an earlier lesson). */
    public void unlearn(String text, boolean spam) {
        bayes.unlearn(MessageText.of(text).features(), spam);
    }

    public int samples() {
        return bayes.samples();
    }

    /**
     * Judges a message.
     *
     * @param earlierMessages how many messages this user sent to the group before; below the group's
     *     {@code strict_messages} the strict threshold applies
     */
    public SpamVerdict judge(SpamMessage msg, GroupSettings g, long earlierMessages) {
        if (msg.privileged()) {
            return bypass("sent by an owner or admin of the group");
        }
        if (msg.userId() != null && g.trustedUsers().contains(msg.userId())) {
            return bypass("trusted user");
        }
        boolean strict = earlierMessages < g.strictMessages();
        MessageText m = MessageText.of(msg.text());
        List<CheckResult> checks = new ArrayList<>(12);
        checks.addAll(ContentChecks.run(m, g, stopWords(g)));
        checks.add(floodCheck(msg, m, g));
        checks.add(mediaCheck(msg, strict));
        checks.add(similarityCheck(m, g));
        checks.add(bayesCheck(m));
        double logit = PRIOR;
        for (CheckResult c : checks) {
            logit += c.weight();
        }
        double threshold = strict ? g.strictThreshold() : g.threshold();
        boolean spam = sigmoid(logit) >= threshold;
        if (llm != null && asksModel(g.llmMode(), spam)) {
            LlmCheck.Opinion o = llm.ask(msg.text(), g);
            boolean counts = o.answered() && o.confidence() >= g.llmThreshold();
            String detail = !o.answered()
                    ? o.reason()
                    : (o.spam() ? "spam" : "not spam") + " (confidence " + round(o.confidence()) + ")"
                            + (counts ? "" : ", below the group's threshold " + g.llmThreshold()) + ": " + o.reason();
            double weight = 0;
            if (counts) {
                // The model's confident word is honoured: "spam" lifts the score to the threshold (or to the
                // model's confidence, if higher); "not spam" drops it just below the threshold.
                double score = sigmoid(logit);
                double moved = o.spam()
                        ? logitOf(Math.max(Math.max(score, threshold), o.confidence()))
                        : logitOf(Math.min(score, threshold)) - 0.01;
                weight = moved - logit;
                logit = moved;
                spam = o.spam();
            }
            checks.add(new CheckResult("llm", counts && o.spam(), weight, detail));
        }
        return new SpamVerdict(
                spam, round(sigmoid(logit)), strict, spam ? g.effectiveAction() : SpamAction.NONE, checks);
    }

    private static boolean asksModel(LlmMode mode, boolean spamSoFar) {
        return switch (mode) {
            case OFF -> false;
            case VETO -> spamSoFar;
            case SECOND_OPINION -> !spamSoFar;
            case DECIDE -> true;
        };
    }

    private CheckResult floodCheck(SpamMessage msg, MessageText m, GroupSettings g) {
        if (msg.userId() == null) {
            return CheckResult.pass("flood", "sender unknown");
        }
        int repeats = flood.repeats(
                String.valueOf(msg.group()), msg.userId(), m, clock.instant(), Duration.ofSeconds(g.floodWindowSecs()));
        return repeats >= g.floodRepeats()
                ? CheckResult.fire("flood", FLOOD, "same text " + repeats + " times in " + g.floodWindowSecs() + " s")
                : CheckResult.pass("flood", repeats <= 1 ? "not repeated" : "sent " + repeats + " times");
    }

    private static CheckResult mediaCheck(SpamMessage msg, boolean strict) {
        if (!msg.media() || !msg.text().isBlank()) {
            return CheckResult.pass("media_only", msg.media() ? "media with a caption" : "no media");
        }
        return strict
                ? CheckResult.fire("media_only", MEDIA_ONLY_NEW_USER, "a new user's first posts are media only")
                : CheckResult.pass("media_only", "media only, from a known user");
    }

    private CheckResult similarityCheck(MessageText m, GroupSettings g) {
        SimilarityIndex.Match best = similar.nearest(m.words());
        if (best == null) {
            return CheckResult.pass("similarity", "no known spam shares its words");
        }
        String detail = "nearest known spam " + round(best.similarity());
        return best.similarity() >= g.similarityThreshold()
                ? CheckResult.fire("similarity", SIMILARITY * best.similarity(), detail)
                : CheckResult.pass("similarity", detail);
    }

    private CheckResult bayesCheck(MessageText m) {
        if (!bayes.trained()) {
            return CheckResult.pass("bayes", "not trained yet (needs spam and ham samples)");
        }
        double lo = Math.max(-MAX_BAYES, Math.min(MAX_BAYES, bayes.logOdds(m.features())));
        String detail = "spam probability " + round(sigmoid(lo));
        return new CheckResult("bayes", lo > 0, lo, detail);
    }

    private StopWords stopWords(GroupSettings g) {
        if (g.stopWords() == null) {
            return defaultStopWords;
        }
        synchronized (groupStopWords) {
            if (groupStopWords.size() > 1000) {
                groupStopWords.clear(); // settings objects churned; rebuild on demand
            }
            return groupStopWords.computeIfAbsent(g.stopWords(), StopWords::new);
        }
    }

    private static SpamVerdict bypass(String why) {
        return new SpamVerdict(false, 0, false, SpamAction.NONE, List.of(new CheckResult("bypass", false, 0, why)));
    }

    static List<String> builtInStopWords() {
        try (InputStream in = SpamEngine.class.getResourceAsStream("/spam/stop-words.txt")) {
            if (in == null) {
                throw new IllegalStateException("resource /spam/stop-words.txt missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("reading /spam/stop-words.txt failed", e);
        }
    }

    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double logitOf(double p) {
        double q = Math.max(1e-6, Math.min(1 - 1e-6, p));
        return Math.log(q / (1 - q));
    }

    private static double round(double x) {
        return Math.round(x * 1000) / 1000.0;
    }
}
