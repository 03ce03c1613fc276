package io.rustbucket.alerts.spam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Detection on the shipped labelled corpus by 5-fold cross-validation. The goal is the original product's: spam
 * recall >= 95 % at a false-positive rate <= 2 %, for an established member (the normal threshold).
 */
class DetectionQualityTest {
    @Test
    void meetsRecallAndFalsePositiveGoalsOnTheLabelledCorpus() {
        List<LabelledCorpus.Entry> corpus = LabelledCorpus.load();
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(500);
        assertThat(corpus).anyMatch(e -> e.language().equals("ru") && e.spam());
        assertThat(corpus).anyMatch(e -> e.language().equals("en") && e.kind().equals("hard_ham"));
        CrossValidation.Score s = CrossValidation.run(corpus, 5, GroupSettings.defaults(), 100);
        s.mistakes().forEach(System.out::println);
        assertThat(s.recall()).isGreaterThanOrEqualTo(0.95);
        assertThat(s.falsePositiveRate()).isLessThanOrEqualTo(0.02);
    }

    @Test
    void newMembersAreJudgedMoreStrictly() {
        List<LabelledCorpus.Entry> corpus = LabelledCorpus.load();
        CrossValidation.Score normal = CrossValidation.run(corpus, 5, GroupSettings.defaults(), 100);
        CrossValidation.Score strict = CrossValidation.run(corpus, 5, GroupSettings.defaults(), 0);
        assertThat(strict.recall()).isGreaterThanOrEqualTo(normal.recall());
        assertThat(strict.fp()).isGreaterThanOrEqualTo(normal.fp());
    }
}
