package io.celerypgmq.bridge.inspect;

import io.celerypgmq.bridge.codec.CeleryCodec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import redis.clients.jedis.UnifiedJedis;

/**
 * Counts, without taking anything, how many messages of each task type wait in each Celery queue (its base and
 * priority lists) and sit reserved in {@code unacked}. Celery messages carry no enqueue time, so the census remembers
 * when it first saw each waiting message: the oldest one's first sighting gives the queue's lag, a lower bound when
 * that message was already there at the census's first pass. Keep one instance and call {@link #take} repeatedly.
 */
public final class TaskCensus {
    /** Messages of one task type in one Celery queue; the oldest waiting one was first seen at {@code oldestSeenAt}. */
    public record Count(
            String queue,
            String task,
            long waiting,
            long reserved,
            String oldestIdentity,
            Instant oldestSeenAt,
            boolean lowerBound,
            boolean capped) {}

    /** One pass over every queue. */
    public record Result(Instant checkedAt, List<Count> counts) {
        public Result {
            counts = List.copyOf(counts);
        }
    }

    /** When a message was first seen, and whether it was already there at the first pass (so maybe far earlier). */
    record Sighting(Instant at, boolean lowerBound) {}

    private final RedisKeyspace keyspace;
    private final List<String> queues;
    private final CensusReader reader;
    private final Clock clock;
    private Map<String, Sighting> sightings = new HashMap<>();
    private boolean firstPass = true;

    /**
     * @param queues the Celery queues to count; empty counts every queue found in Redis
     * @param maxPerQueue elements read per queue at most; counts beyond it are marked capped (lower bounds)
     */
    public TaskCensus(
            UnifiedJedis redis,
            RedisKeyspace keyspace,
            List<String> queues,
            int maxPerQueue,
            CeleryCodec codec,
            Clock clock) {
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.queues = List.copyOf(queues);
        this.reader = new CensusReader(redis, codec, maxPerQueue);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Carries a first sighting another census recorded (an instance taking over), so lags do not start afresh. */
    public synchronized void remember(String identity, Instant seenAt, boolean lowerBound) {
        if (identity != null && seenAt != null) {
            sightings.merge(identity, new Sighting(seenAt, lowerBound), (a, b) -> a.at().isBefore(b.at()) ? a : b);
        }
    }

    /** Counts every queue now. */
    public synchronized Result take() {
        Instant now = clock.instant();
        Map<String, Sighting> seen = new HashMap<>();
        Map<String, CensusTally> tallies = new TreeMap<>();
        List<String> names =
                queues.isEmpty() ? new ArrayList<>(keyspace.queues().keySet()) : queues;
        for (String queue : names) {
            boolean capped = reader.readWaiting(keyspace.priorityKeys().keysOf(queue), (identity, task) -> {
                Sighting first = sightings.getOrDefault(identity, new Sighting(now, firstPass));
                seen.put(identity, first);
                tally(tallies, queue, task).waiting(identity, first.at(), first.lowerBound());
            });
            if (capped) {
                tallies.values().stream().filter(t -> t.queue().equals(queue)).forEach(CensusTally::cap);
            }
        }
        RestoreTarget target = new RestoreTarget(keyspace.bindings());
        reader.readReserved(keyspace.unackedKey(), target, (queue, task) -> tally(tallies, queue, task)
                .reserved());
        sightings = seen;
        firstPass = false;
        return new Result(now, tallies.values().stream().map(CensusTally::count).toList());
    }

    private static CensusTally tally(Map<String, CensusTally> tallies, String queue, String task) {
        return tallies.computeIfAbsent(queue + "\u0000" + task, k -> new CensusTally(queue, task));
    }
}
