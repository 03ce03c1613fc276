package io.rustbucket.core.health;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Every enabled part registers a probe here; {@code /readyz} is ready only when every probe says READY. */
public final class Readiness {
    private final Map<String, Supplier<PartState>> probes = new ConcurrentHashMap<>();

    /** Adds or replaces the probe of a part. A probe must be cheap: it runs on every /readyz request. */
    public void register(String part, Supplier<PartState> probe) {
        probes.put(part, probe);
    }

    /** Marks a part as present but not yet started. */
    public void starting(String part) {
        register(part, () -> new PartState(part, PartState.Status.STARTING, "starting"));
    }

    public List<PartState> states() {
        return probes.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .map(e -> {
                    try {
                        return e.getValue().get();
                    } catch (RuntimeException ex) {
                        return PartState.down(e.getKey(), "probe failed: " + ex.getMessage());
                    }
                })
                .toList();
    }

    public boolean isReady(List<PartState> states) {
        return !states.isEmpty() && states.stream().allMatch(s -> s.status() == PartState.Status.READY);
    }
}
