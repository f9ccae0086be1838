package io.celerypgmq.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Snapshots of Celery queues and putting them back, on real Redis. */
@RealBackends
class SnapshotRestoreTest {
    private static final String P6 = "celery\u0006\u00166";
    private static Harness h;

    @TempDir
    Path dir;

    @BeforeAll
    static void open(TestPostgres pg, TestRedis redis) {
        h = new Harness(pg, redis);
    }

    @AfterAll
    static void close() {
        h.close();
    }

    @BeforeEach
    void fill() {
        h.reset("moved");
        for (int i = 0; i < 7; i++) {
            var m = Envelopes.task("tasks.add", i, i).priority(i % 2 == 0 ? 0 : 6);
            h.lpush(i % 2 == 0 ? "celery" : P6, m.bytes());
        }
        h.lpush("celery", new byte[] {'{', (byte) 0xff, '}'}); // not even UTF-8: kept byte for byte
        h.unacked(Envelopes.task("tasks.mul", 2, 3), 1_700_000_000.25);
        h.unacked(Envelopes.task("tasks.mul", 4, 5).queue("other"), 1_700_000_001.5);
    }

    /** Every byte of the queue's keys: lists in order, the unacked hash, the index with scores. */
    private Map<String, List<String>> dump() {
        Map<String, List<String>> out = new TreeMap<>();
        for (String key : List.of("celery", P6)) {
            out.put(
                    key,
                    h.redis.lrange(key.getBytes(StandardCharsets.UTF_8), 0, -1).stream()
                            .map(b -> java.util.HexFormat.of().formatHex(b))
                            .toList());
        }
        List<String> unacked = new ArrayList<>();
        h.redis
                .hgetAll("unacked".getBytes(StandardCharsets.UTF_8))
                .forEach((k, v) -> unacked.add(new String(k, StandardCharsets.UTF_8) + "="
                        + java.util.HexFormat.of().formatHex(v)));
        unacked.sort(null);
        out.put("unacked", unacked);
        out.put(
                "unacked_index",
                h.redis.zrangeWithScores("unacked_index", 0, -1).stream()
                        .map(t -> t.getElement() + "@" + t.getScore())
                        .toList());
        return out;
    }

    @Test
    void aSnapshotRestoredIntoAnEmptyRedisGivesBackEveryByte() {
        Map<String, List<String>> before = dump();
        Path file = dir.resolve("leftovers.jsonl");

        ReplayReport written = new QueueSnapshot(h.context()).write(List.of("celery"), true, file, Progress.NONE);
        h.redis.flushDB();
        ReplayReport restored = new QueueRestore(h.context()).restore(file, false, false, Progress.NONE);

        assertThat(written.moved()).isEqualTo(9);
        assertThat(restored.moved()).isEqualTo(9);
        Map<String, List<String>> after = dump();
        assertThat(after.get("celery")).isEqualTo(before.get("celery"));
        assertThat(after.get(P6)).isEqualTo(before.get(P6));
        assertThat(after.get("unacked")).hasSize(1).isSubsetOf(before.get("unacked"));
        assertThat(after.get("unacked_index"))
                .containsExactly(before.get("unacked_index").get(0));
    }

    @Test
    void restoringSkipsWhatIsStillThereAndWhatItRestoredBefore() {
        Path file = dir.resolve("leftovers.jsonl");
        new QueueSnapshot(h.context()).write(List.of("celery"), true, file, Progress.NONE);
        Map<String, List<String>> before = dump();

        ReplayReport untouched = new QueueRestore(h.context()).restore(file, false, false, Progress.NONE);
        h.redis.del("celery");
        ReplayReport once = new QueueRestore(h.context()).restore(file, false, false, Progress.NONE);
        h.redis.del("celery"); // a worker consumed them all; the markers still say they were restored
        ReplayReport twice = new QueueRestore(h.context()).restore(file, false, false, Progress.NONE);

        assertThat(untouched.moved()).isZero();
        assertThat(untouched.skipped()).containsEntry("already in Redis", 9L);
        assertThat(once.moved()).isEqualTo(5);
        assertThat(twice.moved()).isZero();
        assertThat(twice.skipped()).containsEntry("restored before from this snapshot", 5L);
        assertThat(dump().get(P6)).isEqualTo(before.get(P6));
    }

    @Test
    void messagesMovedToPgmqAreNotRestoredUnlessAsked() {
        Path file = dir.resolve("leftovers.jsonl");
        new QueueSnapshot(h.context()).write(List.of("celery"), false, file, Progress.NONE);
        new RedisToPgmqDrain(
                        h.context(), DrainSpec.of(List.of("celery"), "moved").withWorkersStopped(true))
                .run(new CancelToken(), Progress.NONE);

        ReplayReport skipped = new QueueRestore(h.context()).restore(file, false, false, Progress.NONE);
        ReplayReport forced = new QueueRestore(h.context()).restore(file, true, true, Progress.NONE);

        assertThat(skipped.moved())
                .as("only the undecodable one, which went to quarantine")
                .isEqualTo(1);
        assertThat(skipped.skipped())
                .containsEntry("moved to pgmq (the ledger has it); --include-moved restores it anyway", 7L);
        assertThat(forced.state()).isEqualTo(JobState.DRY_RUN);
        assertThat(forced.moved()).isEqualTo(7);
    }

    @Test
    void aFileThatIsNotASnapshotIsRefused() throws Exception {
        Path file = dir.resolve("other.jsonl");
        Files.writeString(file, "{\"hello\": 1}\n");

        assertThatThrownBy(() -> new QueueRestore(h.context()).restore(file, false, false, Progress.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a celery-pgmq snapshot");
    }
}
