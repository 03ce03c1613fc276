package io.rustbucket.assistant;

import io.rustbucket.core.http.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is online. Clients say so with heartbeats ({@code online}; {@code away} while their tab is hidden;
 * {@code offline} when it closes); the server says {@code offline} for a client that stopped without saying so, once
 * it has sent no heartbeat for {@link #OFFLINE_AFTER}. Members of the user's conversations hear each change as
 * {@code presence.update}; a heartbeat that changes nothing is not fanned out. A stream that opens starts with the
 * current state of the conversation's members who are not offline, so a page knows who is there without waiting.
 *
 * <p>One user in two tabs: an {@code away} from a hidden tab does not hide an {@code online} from a visible one
 * heard within {@link #ONLINE_HOLD}. An {@code offline} from a closing tab counts at once; the other tab's next
 * heartbeat brings the user back.
 *
 * <p>Held in memory, one entry per user not offline (a process restart starts everyone offline, and clients'
 * next heartbeats restore them).
 */
final class Presence {
    private static final Logger log = LoggerFactory.getLogger(Presence.class);
    /** A client heartbeats every 30 s (the console's page); three missed heartbeats and the user is offline. */
    static final Duration OFFLINE_AFTER = Duration.ofSeconds(90);
    /** An {@code online} heard this recently outweighs another tab's {@code away}. */
    static final Duration ONLINE_HOLD = Duration.ofSeconds(45);
    /** How often users who stopped are looked for. */
    static final Duration SWEEP = Duration.ofSeconds(5);

    private static final Set<String> STATUSES = Set.of("online", "away", "offline");

    /** A user not offline: what they said last, when, and when they last said online. */
    private record Seen(String status, Instant lastSeenAt, Instant lastOnlineAt) {}

    private final Conversations conversations;
    private final StreamHub hub;
    private final Clock clock;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    Presence(Conversations conversations, StreamHub hub, Clock clock) {
        this.conversations = conversations;
        this.hub = hub;
        this.clock = clock;
    }

    /** A client's heartbeat ({@code status} null means online); members hear it if it changes the user's state. */
    void heartbeat(String userId, String status) {
        String said = status == null || status.isBlank() ? "online" : status.strip();
        if (!STATUSES.contains(said)) {
            throw ApiException.validation("status must be online, away or offline");
        }
        Instant now = clock.instant();
        String[] change = new String[2]; // before, after
        seen.compute(userId, (u, before) -> {
            change[0] = before == null ? "offline" : before.status();
            if (said.equals("offline")) {
                change[1] = "offline";
                return null;
            }
            Instant lastOnline = said.equals("online") ? now : before == null ? null : before.lastOnlineAt();
            boolean held = lastOnline != null && lastOnline.isAfter(now.minus(ONLINE_HOLD));
            change[1] = held ? "online" : said;
            return new Seen(change[1], now, lastOnline);
        });
        if (!change[0].equals(change[1])) {
            publish(userId, change[1], now);
        }
    }

    /** Users who sent nothing for {@link #OFFLINE_AFTER} go offline; their conversations hear it. */
    void sweep() {
        Instant cutoff = clock.instant().minus(OFFLINE_AFTER);
        for (var e : seen.entrySet()) {
            Seen s = e.getValue();
            // Removed only if unchanged: a heartbeat that arrives meanwhile wins.
            if (s.lastSeenAt().isBefore(cutoff) && seen.remove(e.getKey(), s)) {
                try {
                    publish(e.getKey(), "offline", s.lastSeenAt());
                } catch (RuntimeException failed) { // the database is away: they are offline here, unheard
                    log.warn("presence: could not tell {}'s conversations: {}", e.getKey(), failed.toString());
                }
            }
        }
    }

    /** The state of those of {@code members} who are not offline, as frames without an id (not a resume point). */
    List<byte[]> current(Collection<String> members) {
        List<byte[]> frames = new ArrayList<>();
        for (String m : members) {
            Seen s = seen.get(m);
            if (s != null) {
                frames.add(
                        new StreamHub.Event("presence.update", payload(m, s.status(), s.lastSeenAt()), null).frame());
            }
        }
        return frames;
    }

    /** The user's status now ({@code offline} when unknown). */
    String status(String userId) {
        Seen s = seen.get(userId);
        return s == null ? "offline" : s.status();
    }

    private void publish(String userId, String status, Instant lastSeenAt) {
        StreamHub.Event e = new StreamHub.Event(
                "presence.update", payload(userId, status, lastSeenAt), StreamHub.id(null, null, null, clock.millis()));
        for (var c : conversations.listFor(userId)) {
            hub.publish(c.id(), e);
        }
    }

    private static Map<String, Object> payload(String userId, String status, Instant lastSeenAt) {
        return Map.of("user_id", userId, "status", status, "last_seen_at", lastSeenAt.toString());
    }
}
