package io.rustbucket.bench;

import io.rustbucket.alerts.spam.CrossValidation;
import io.rustbucket.alerts.spam.GroupSettings;
import io.rustbucket.alerts.spam.LabelledCorpus;
import io.rustbucket.alerts.spam.MessageText;
import io.rustbucket.alerts.spam.SpamEngine;
import io.rustbucket.alerts.spam.SpamMessage;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;

/**
 * The spam engine on one thread: messages/s through the deterministic + similarity + Bayes layers (no model),
 * against the bare text extraction measured in the same run, p99 per message, and the detection figures of the
 * shipped corpus by 5-fold cross-validation (established and new members).
 *
 * <p>{@code bench/run.sh spam [MESSAGES]}
 */
public final class SpamBench {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        List<LabelledCorpus.Entry> corpus = LabelledCorpus.load();
        SpamEngine engine = new SpamEngine(Clock.systemUTC(), null);
        corpus.forEach(e -> engine.learn(e.text(), e.spam()));
        GroupSettings g = GroupSettings.defaults();
        SpamMessage[] msgs = corpus.stream()
                .map(e -> new SpamMessage("bench", null, null, e.text(), false, false))
                .toArray(SpamMessage[]::new);
        for (int i = 0; i < 200_000; i++) { // warm-up
            engine.judge(msgs[i % msgs.length], g, 100);
            MessageText.of(msgs[i % msgs.length].text());
        }
        long sink = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += MessageText.of(msgs[i % msgs.length].text()).words().size();
        }
        double parseRate = n / ((System.nanoTime() - t0) / 1e9);
        long[] lat = new long[n];
        t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            sink += engine.judge(msgs[i % msgs.length], g, 100).spam() ? 1 : 0;
            lat[i] = System.nanoTime() - s;
        }
        double judgeRate = n / ((System.nanoTime() - t0) / 1e9);
        Arrays.sort(lat);
        System.out.printf(
                "messages %d: text extraction %.0f/s, full judge %.0f/s (ratio %.2f), p50 %.1f us, p99 %.1f us (sink %d)%n",
                n, parseRate, judgeRate, judgeRate / parseRate, lat[n / 2] / 1e3, lat[(int) (n * 0.99)] / 1e3, sink);
        for (long earlier : new long[] {100, 0}) {
            CrossValidation.Score s = CrossValidation.run(corpus, 5, g, earlier);
            System.out.printf(
                    "corpus %d messages, %s member: recall %.3f precision %.3f false-positive rate %.3f"
                            + " (tp %d fn %d fp %d tn %d)%n",
                    corpus.size(),
                    earlier == 0 ? "new" : "established",
                    s.recall(),
                    s.precision(),
                    s.falsePositiveRate(),
                    s.tp(),
                    s.fn(),
                    s.fp(),
                    s.tn());
        }
    }
}
