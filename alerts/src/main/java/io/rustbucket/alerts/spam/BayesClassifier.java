package io.rustbucket.alerts.spam;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Naive Bayes over the presence of features (words, link domains, markers), trained from labelled samples and
 * admin feedback. Equal priors: the balance of the sample set says nothing about the next message. Thread-safe;
 * training is rare and takes the write lock.
 */
final class BayesClassifier {
    /** Laplace smoothing: a feature seen once is not proof. */
    private static final double ALPHA = 1.0;
    /** One feature moves the odds at most this much (natural log), so a single rare word cannot decide alone. */
    private static final double MAX_FEATURE_WEIGHT = 3.0;

    private final Map<String, int[]> counts = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private int spamDocs;
    private int hamDocs;

    void learn(Set<String> features, boolean spam) {
        lock.writeLock().lock();
        try {
            for (String f : features) {
                counts.computeIfAbsent(f, k -> new int[2])[spam ? 0 : 1]++;
            }
            if (spam) {
                spamDocs++;
            } else {
                hamDocs++;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes a sample learned before (feedback that relabels a message). */
    void unlearn(Set<String> features, boolean spam) {
        lock.writeLock().lock();
        try {
            for (String f : features) {
                int[] c = counts.get(f);
                if (c != null && c[spam ? 0 : 1] > 0) {
                    c[spam ? 0 : 1]--;
                }
            }
            if (spam && spamDocs > 0) {
                spamDocs--;
            } else if (!spam && hamDocs > 0) {
                hamDocs--;
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    boolean trained() {
        lock.readLock().lock();
        try {
            return spamDocs > 0 && hamDocs > 0;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Log-odds of spam (positive: spam); 0 when untrained or nothing known is in the message. */
    double logOdds(Set<String> features) {
        lock.readLock().lock();
        try {
            if (spamDocs == 0 || hamDocs == 0) {
                return 0;
            }
            double logOdds = 0;
            double spamDenominator = spamDocs + 2 * ALPHA;
            double hamDenominator = hamDocs + 2 * ALPHA;
            for (String f : features) {
                int[] c = counts.get(f);
                if (c == null) {
                    continue;
                }
                double w = Math.log((c[0] + ALPHA) / spamDenominator) - Math.log((c[1] + ALPHA) / hamDenominator);
                logOdds += Math.max(-MAX_FEATURE_WEIGHT, Math.min(MAX_FEATURE_WEIGHT, w));
            }
            return logOdds;
        } finally {
            lock.readLock().unlock();
        }
    }

    int samples() {
        lock.readLock().lock();
        try {
            return spamDocs + hamDocs;
        } finally {
            lock.readLock().unlock();
        }
    }
}
