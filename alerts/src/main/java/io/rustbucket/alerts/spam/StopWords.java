package io.rustbucket.alerts.spam;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Phrases matched as whole-word sequences (so "bet" does not match "better"), indexed by their first word. */
final class StopWords {
    private final Map<String, List<List<String>>> byFirstWord = new HashMap<>();

    StopWords(List<String> phrases) {
        for (String p : phrases) {
            List<String> words = MessageText.of(p).words();
            if (!words.isEmpty()) {
                byFirstWord
                        .computeIfAbsent(words.getFirst(), k -> new ArrayList<>())
                        .add(words);
            }
        }
    }

    /** The first phrase found in the words, if any. */
    Optional<String> find(List<String> words) {
        for (int i = 0; i < words.size(); i++) {
            List<List<String>> candidates = byFirstWord.get(words.get(i));
            if (candidates == null) {
                continue;
            }
            for (List<String> phrase : candidates) {
                if (i + phrase.size() <= words.size()
                        && words.subList(i, i + phrase.size()).equals(phrase)) {
                    return Optional.of(String.join(" ", phrase));
                }
            }
        }
        return Optional.empty();
    }
}
