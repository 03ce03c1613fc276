package io.rustbucket.alerts.spam;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Detection figures on a labelled set by k-fold cross-validation: each message is judged by an engine that learned
 * from the other folds only (no LLM). Used by the quality test and the benchmark.
 */
public final class CrossValidation {
    /** Confusion counts, with a line per mistake for reading. */
    public record Score(int tp, int fn, int fp, int tn, List<String> mistakes) {
        public double recall() {
            return tp / (double) Math.max(1, tp + fn);
        }

        public double precision() {
            return tp / (double) Math.max(1, tp + fp);
        }

        public double falsePositiveRate() {
            return fp / (double) Math.max(1, fp + tn);
        }
    }

    private CrossValidation() {}

    /**
     * @param earlierMessages the sender's earlier messages: 0 = a new member (strict threshold), 100 = established
     */
    public static Score run(
            List<LabelledCorpus.Entry> corpus, int folds, GroupSettings settings, long earlierMessages) {
        int tp = 0, fn = 0, fp = 0, tn = 0;
        List<String> mistakes = new ArrayList<>();
        for (int fold = 0; fold < folds; fold++) {
            SpamEngine engine = new SpamEngine(Clock.systemUTC(), null);
            for (int i = 0; i < corpus.size(); i++) {
                if (i % folds != fold) {
                    engine.learn(corpus.get(i).text(), corpus.get(i).spam());
                }
            }
            for (int i = fold; i < corpus.size(); i += folds) {
                LabelledCorpus.Entry e = corpus.get(i);
                SpamVerdict v = engine.judge(
                        new SpamMessage("eval", "u" + i, null, e.text(), false, false), settings, earlierMessages);
                if (e.spam() && v.spam()) {
                    tp++;
                } else if (e.spam()) {
                    fn++;
                    mistakes.add("missed spam " + v.score() + " " + v.fired() + ": " + e.text());
                } else if (v.spam()) {
                    fp++;
                    mistakes.add("false positive (" + e.kind() + ") " + v.score() + " " + v.fired() + ": " + e.text());
                } else {
                    tn++;
                }
            }
        }
        return new Score(tp, fn, fp, tn, mistakes);
    }
}
