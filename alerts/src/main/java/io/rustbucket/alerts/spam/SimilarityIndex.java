package io.rustbucket.alerts.spam;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Known spam samples and how close a message comes to the nearest one (cosine over word sets), found through an
 * inverted index so a message is compared only with samples that share a word. Holds at most
 * {@link #MAX_SAMPLES}; past that the oldest sample is dropped (the classifier keeps what it learned from it).
 */
final class SimilarityIndex {
    static final int MAX_SAMPLES = 50_000;
    /** Messages this short match too much by chance. */
    static final int MIN_WORDS = 3;
    /** Words in more samples than this are not used to find candidates (they are in everything). */
    private static final int MAX_POSTING = 5_000;

    private record Sample(long id, Set<String> words) {}

    private final Map<Long, Sample> samples = new HashMap<>();
    private final ArrayList<Long> order = new ArrayList<>();
    private final Map<String, Set<Long>> postings = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private long nextId;

    /** The nearest sample: its cosine similarity and its size in distinct words. */
    record Match(double similarity, int sampleWords) {}

    void add(List<String> words) {
        Set<String> set = new LinkedHashSet<>(words);
        if (set.size() < MIN_WORDS) {
            return;
        }
        lock.writeLock().lock();
        try {
            long id = nextId++;
            samples.put(id, new Sample(id, Set.copyOf(set)));
            order.add(id);
            for (String w : set) {
                postings.computeIfAbsent(w, k -> new HashSet<>()).add(id);
            }
            if (samples.size() > MAX_SAMPLES) {
                Sample old = samples.remove(order.removeFirst());
                for (String w : old.words()) {
                    Set<Long> p = postings.get(w);
                    p.remove(old.id());
                    if (p.isEmpty()) {
                        postings.remove(w);
                    }
                }
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    Match nearest(List<String> words) {
        Set<String> query = new HashSet<>(words);
        if (query.size() < MIN_WORDS) {
            return null;
        }
        lock.readLock().lock();
        try {
            Map<Long, Integer> overlap = new HashMap<>();
            for (String w : query) {
                Set<Long> p = postings.get(w);
                if (p != null && p.size() <= MAX_POSTING) {
                    for (Long id : p) {
                        overlap.merge(id, 1, Integer::sum);
                    }
                }
            }
            Match best = null;
            for (Map.Entry<Long, Integer> e : overlap.entrySet()) {
                Sample s = samples.get(e.getKey());
                double cos = e.getValue()
                        / Math.sqrt((double) query.size() * s.words().size());
                if (best == null || cos > best.similarity()) {
                    best = new Match(cos, s.words().size());
                }
            }
            return best;
        } finally {
            lock.readLock().unlock();
        }
    }

    int size() {
        lock.readLock().lock();
        try {
            return samples.size();
        } finally {
            lock.readLock().unlock();
        }
    }
}
