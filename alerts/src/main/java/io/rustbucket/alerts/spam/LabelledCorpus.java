package io.rustbucket.alerts.spam;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The labelled messages shipped with the platform ({@code /spam/corpus.tsv}, English and Russian): the samples a
 * fresh installation learns from, and the set the detection figures are measured on (by cross-validation, so no
 * message is judged by a model that learned it).
 */
public final class LabelledCorpus {
    /** One labelled message; {@code kind} is spam, spam_disguised, ham or hard_ham. */
    public record Entry(boolean spam, String language, String kind, String text) {}

    private LabelledCorpus() {}

    public static List<Entry> load() {
        try (InputStream in = LabelledCorpus.class.getResourceAsStream("/spam/corpus.tsv")) {
            if (in == null) {
                throw new IllegalStateException("resource /spam/corpus.tsv missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(LabelledCorpus::entry)
                    .toList();
        } catch (IOException e) {
            throw new IllegalStateException("reading /spam/corpus.tsv failed", e);
        }
    }

    private static Entry entry(String line) {
        String[] f = line.split("\t", 4);
        if (f.length != 4 || !(f[0].equals("spam") || f[0].equals("ham"))) {
            throw new IllegalStateException("bad corpus line: " + line);
        }
        return new Entry(f[0].equals("spam"), f[1], f[2], f[3]);
    }
}
