package io.rustbucket.logs.queue;

import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.models.stream.ClaimedMessages;
import io.lettuce.core.models.stream.PendingMessage;
import io.rustbucket.core.json.Json;
import io.rustbucket.logs.ecs.LogEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable, shared queue: a Redis stream read by a consumer group, so several ingest processes share the
 * work. A batch is added in one MULTI/EXEC (all or nothing). Entries are acknowledged and deleted only after
 * they are indexed; entries left pending by a consumer that died are reclaimed ({@code XAUTOCLAIM}) once idle
 * for {@code reclaimIdle}; an entry delivered more than {@code maxDeliveries} times, or that cannot be decoded,
 * goes to the dead-letter stream {@code {stream}:dead} instead of blocking the queue.
 * Capacity is the stream's length (pending + unread), checked before each batch; several writers can overshoot
 * it by at most one batch each.
 */
public final class RedisStreamQueue implements IngestQueue {
    private static final Logger log = LoggerFactory.getLogger(RedisStreamQueue.class);

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> producer;
    private final StatefulRedisConnection<String, String> consumer;
    private final String stream;
    private final String dead;
    private final String group;
    private final Consumer<String> me;
    private final int capacity;
    private final int maxDeliveries;
    private final Duration reclaimIdle;
    private long lastReclaim;

    public RedisStreamQueue(
            String url, String stream, String group, int capacity, int maxDeliveries, Duration reclaimIdle) {
        this.client = RedisClient.create(RedisURI.create(url));
        this.client.setDefaultTimeout(Duration.ofSeconds(10));
        try {
            this.producer = client.connect();
            this.consumer = client.connect();
        } catch (RedisException e) {
            client.shutdown();
            throw new QueueUnavailableException("cannot connect to Redis at " + url + ": " + e.getMessage(), e);
        }
        this.stream = stream;
        this.dead = stream + ":dead";
        this.group = group;
        this.me = Consumer.from(
                group,
                "ingest-" + ProcessHandle.current().pid() + "-"
                        + UUID.randomUUID().toString().substring(0, 8));
        this.capacity = capacity;
        this.maxDeliveries = maxDeliveries;
        this.reclaimIdle = reclaimIdle;
        try {
            producer.sync()
                    .xgroupCreate(
                            XReadArgs.StreamOffset.from(stream, "0-0"), group, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException exists) {
            // another ingest process created the group first
        }
    }

    @Override
    public boolean offer(List<LogEvent> batch) {
        synchronized (producer) {
            try {
                RedisCommands<String, String> r = producer.sync();
                if (r.xlen(stream) + batch.size() > capacity) {
                    return false;
                }
                r.multi();
                for (LogEvent e : batch) {
                    r.xadd(stream, Map.of("e", Json.write(e)));
                }
                TransactionResult result = r.exec();
                if (result.wasDiscarded()) {
                    throw new QueueUnavailableException("Redis discarded the batch", null);
                }
                return true;
            } catch (RedisException e) {
                throw new QueueUnavailableException("Redis queue unavailable: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public Batch take(int max, Duration wait) {
        RedisCommands<String, String> r = consumer.sync();
        if (System.nanoTime() - lastReclaim >= reclaimIdle.toNanos() / 2) {
            lastReclaim = System.nanoTime();
            Batch reclaimed = reclaim(r, max);
            if (!reclaimed.isEmpty()) {
                return reclaimed;
            }
        }
        List<StreamMessage<String, String>> messages =
                r.xreadgroup(me, XReadArgs.Builder.block(wait).count(max), XReadArgs.StreamOffset.lastConsumed(stream));
        return decode(r, messages);
    }

    /** Takes over entries another consumer left pending too long; those delivered too often become dead letters. */
    private Batch reclaim(RedisCommands<String, String> r, int max) {
        ClaimedMessages<String, String> claimed = r.xautoclaim(
                stream,
                XAutoClaimArgs.Builder.xautoclaim(me, reclaimIdle, "0-0").count(max));
        List<StreamMessage<String, String>> keep = new ArrayList<>();
        for (StreamMessage<String, String> m : claimed.getMessages()) {
            List<PendingMessage> p = r.xpending(stream, group, Range.create(m.getId(), m.getId()), Limit.from(1));
            long deliveries = p.isEmpty() ? 0 : p.getFirst().getRedeliveryCount();
            if (deliveries > maxDeliveries) {
                moveToDead(r, m, "delivered " + deliveries + " times without being indexed");
            } else {
                keep.add(m);
            }
        }
        if (!keep.isEmpty()) {
            log.info("reclaimed {} log events left pending by a stopped consumer", keep.size());
        }
        return decode(r, keep);
    }

    private Batch decode(RedisCommands<String, String> r, List<StreamMessage<String, String>> messages) {
        List<LogEvent> events = new ArrayList<>(messages.size());
        List<String> ids = new ArrayList<>(messages.size());
        for (StreamMessage<String, String> m : messages) {
            try {
                events.add(Json.mapper().readValue(m.getBody().get("e"), LogEvent.class));
                ids.add(m.getId());
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                moveToDead(r, m, "undecodable entry: " + e.getMessage());
            }
        }
        return events.isEmpty() ? Batch.EMPTY : new Batch(events, ids);
    }

    private void moveToDead(RedisCommands<String, String> r, StreamMessage<String, String> m, String reason) {
        String body = m.getBody().getOrDefault("e", String.valueOf(m.getBody()));
        r.xadd(dead, Map.of("e", body, "reason", reason, "id", m.getId()));
        r.xack(stream, group, m.getId());
        r.xdel(stream, m.getId());
        log.warn("log event {} moved to {}: {}", m.getId(), dead, reason);
    }

    @Override
    public void done(Batch batch) {
        if (batch.handles().isEmpty()) {
            return;
        }
        String[] ids = batch.handles().toArray(String[]::new);
        RedisCommands<String, String> r = consumer.sync();
        r.xack(stream, group, ids);
        r.xdel(stream, ids);
    }

    @Override
    public void deadLetter(LogEvent event, String reason) {
        consumer.sync().xadd(dead, Map.of("e", Json.write(event), "reason", reason));
    }

    @Override
    public int depth() {
        synchronized (producer) {
            try {
                return (int) Math.min(Integer.MAX_VALUE, producer.sync().xlen(stream));
            } catch (RedisException e) {
                return -1;
            }
        }
    }

    @Override
    public int capacity() {
        return capacity;
    }

    /** Entries in the dead-letter stream. */
    public long deadLetters() {
        synchronized (producer) {
            return producer.sync().xlen(dead);
        }
    }

    @Override
    public void close() {
        producer.close();
        consumer.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
