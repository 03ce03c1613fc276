package io.rustbucket.bench;

import io.rustbucket.core.json.Json;
import io.rustbucket.logs.ecs.EcsNormalizer;
import io.rustbucket.logs.index.LogDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The log platform's per-event CPU on the request threads: 200,000 events (LogsBench's, in its request bodies of 200) parsed
 * into JSON trees, then parsed and normalised (flattening, level, timestamp, content id). The difference is what
 * normalising costs; printed per event for each of 12 rounds (the first ones include the JIT's warm-up). Then the
 * indexers' step, each normalised event's stored JSON: written straight ({@code LogDocument.write}) against the same
 * bytes from a map through Jackson ({@code LogDocument.source}), the way it was made before.
 */
public final class NormaliseBench {
    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Instant base = Instant.now();
        List<byte[]> bodies = new ArrayList<>();
        for (String body : LogsBench.batches(events, base)) {
            bodies.add(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        long sink = 0;
        for (int round = 1; round <= 12; round++) {
            long t0 = System.nanoTime();
            for (byte[] body : bodies) {
                sink += Json.mapper().readTree(body).size();
            }
            long t1 = System.nanoTime();
            for (byte[] body : bodies) {
                var array = Json.mapper().readTree(body);
                for (int k = 0; k < array.size(); k++) {
                    sink += EcsNormalizer.normalize(array.get(k), base).id().length();
                }
            }
            long t2 = System.nanoTime();
            // Untimed: the events for the stored-JSON step, kept apart so that their survival does not load the above.
            List<io.rustbucket.logs.ecs.LogEvent> normalised = new ArrayList<>(events);
            for (byte[] body : bodies) {
                var array = Json.mapper().readTree(body);
                for (int k = 0; k < array.size(); k++) {
                    normalised.add(EcsNormalizer.normalize(array.get(k), base));
                }
            }
            long mapStart = System.nanoTime();
            for (var e : normalised) {
                sink += Json.mapper().writeValueAsBytes(LogDocument.source(e)).length;
            }
            long t3 = System.nanoTime();
            for (var e : normalised) {
                sink += LogDocument.json(e).length;
            }
            long t4 = System.nanoTime();
            double parse = (t1 - t0) / (double) events;
            double both = (t2 - t1) / (double) events;
            System.out.printf(
                    "round %2d: parse %.0f ns/event, parse + normalise %.0f ns/event, normalise %.0f ns/event; stored"
                            + " JSON via a map %.0f ns/event, written straight %.0f ns/event%n",
                    round, parse, both, both - parse, (t3 - mapStart) / (double) events, (t4 - t3) / (double) events);
        }
        System.out.println(sink == 42 ? "" : "(done)");
    }
}
