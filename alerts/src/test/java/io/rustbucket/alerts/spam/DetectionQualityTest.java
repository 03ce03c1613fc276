package io.rustbucket.alerts.spam;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Detection on the shipped labelled corpus by 5-fold cross-validation: each message is judged by an engine that
 * learned from the other four folds only. The goal is the original product's: spam recall >= 95 % at a
 * false-positive rate <= 2 %, for an established member (the normal threshold).
 */
class DetectionQualityTest {
    static final int FOLDS = 5;

    record Score(int tp, int fn, int fp, int tn, List<String> misses) {
        double recall() {
            return tp / (double) (tp + fn);
        }

        double falsePositiveRate() {
            return fp / (double) (fp + tn);
        }

        double precision() {
            return tp / (double) Math.max(1, tp + fp);
        }
    }

    static Score crossValidate(List<LabelledCorpus.Entry> corpus, GroupSettings settings, long earlierMessages) {
        int tp = 0, fn = 0, fp = 0, tn = 0;
        List<String> misses = new ArrayList<>();
        for (int fold = 0; fold < FOLDS; fold++) {
            SpamEngine engine = new SpamEngine(Clock.systemUTC(), null);
            for (int i = 0; i < corpus.size(); i++) {
                if (i % FOLDS != fold) {
                    engine.learn(corpus.get(i).text(), corpus.get(i).spam());
                }
            }
            for (int i = fold; i < corpus.size(); i += FOLDS) {
                LabelledCorpus.Entry e = corpus.get(i);
                SpamVerdict v = engine.judge(
                        new SpamMessage("eval", "u" + i, null, e.text(), false, false), settings, earlierMessages);
                if (e.spam() && v.spam()) {
                    tp++;
                } else if (e.spam()) {
                    fn++;
                    misses.add("missed spam " + v.score() + " " + v.fired() + ": " + e.text());
                } else if (v.spam()) {
                    fp++;
                    misses.add("false positive " + v.score() + " " + v.fired() + ": " + e.text());
                } else {
                    tn++;
                }
            }
        }
        return new Score(tp, fn, fp, tn, misses);
    }

    @Test
    void meetsRecallAndFalsePositiveGoalsOnTheLabelledCorpus() {
        List<LabelledCorpus.Entry> corpus = LabelledCorpus.load();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(500);
        Score s = crossValidate(corpus, GroupSettings.defaults(), 100);
        s.misses().forEach(System.out::println);
        System.out.printf(
                "recall %.3f precision %.3f fpr %.3f (tp %d fn %d fp %d tn %d)%n",
                s.recall(), s.precision(), s.falsePositiveRate(), s.tp(), s.fn(), s.fp(), s.tn());
        assertThat(s.recall()).isGreaterThanOrEqualTo(0.95);
        assertThat(s.falsePositiveRate()).isLessThanOrEqualTo(0.02);
    }
}
