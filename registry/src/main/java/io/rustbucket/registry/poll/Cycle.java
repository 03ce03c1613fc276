package io.rustbucket.registry.poll;

import io.rustbucket.registry.sensors.RegisteredSensor;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One polling cycle over the fleet: every sensor on its own virtual thread, at most {@code concurrency} at once,
 * each failure recorded with its sensor and never stopping the others.
 */
public final class Cycle {
    private static final Logger log = LoggerFactory.getLogger(Cycle.class);

    /** What a cycle did. */
    public record Report(int sensors, int succeeded, int failed, long millis) {
        public String summary() {
            return sensors + " sensors, " + succeeded + " ok, " + failed + " failed, " + millis + " ms";
        }
    }

    /** Work on one sensor; throws when it failed (the message is recorded with the sensor). */
    @FunctionalInterface
    public interface SensorTask {
        void run(RegisteredSensor sensor) throws Exception;
    }

    private Cycle() {}

    /** Runs {@code task} for every sensor and waits for all of them. */
    public static Report run(String job, List<RegisteredSensor> sensors, int concurrency, SensorTask task) {
        long start = System.nanoTime();
        Semaphore permits = new Semaphore(concurrency);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        try (var threads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("registry-" + job + "-", 0).factory())) {
            for (RegisteredSensor s : sensors) {
                permits.acquireUninterruptibly();
                threads.execute(() -> {
                    try {
                        task.run(s);
                        ok.incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        log.warn("{}: sensor {} ({}): {}", job, s.name(), s.id(), e.getMessage());
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        return new Report(sensors.size(), ok.get(), failed.get(), (System.nanoTime() - start) / 1_000_000);
    }
}
