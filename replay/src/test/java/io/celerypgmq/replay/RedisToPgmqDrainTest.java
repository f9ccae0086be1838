package io.celerypgmq.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Redis → pgmq drain on real Redis and Postgres, with hand-built Celery 5.2 leftovers. */
@RealBackends
class RedisToPgmqDrainTest {
    private static final String P6 = "celery\u0006\u00166";
    private static final String P9 = "celery\u0006\u00169";
    private static Harness h;

    @BeforeAll
    static void open(TestPostgres pg, TestRedis redis) {
        h = new Harness(pg, redis);
    }

    @AfterAll
    static void close() {
        h.close();
    }

    @BeforeEach
    void clean() {
        h.reset("moved");
    }

    private ReplayReport drain(DrainSpec spec) {
        return new RedisToPgmqDrain(h.context(), spec).run(new CancelToken(), Progress.NONE);
    }

    private static DrainSpec spec() {
        return DrainSpec.of(List.of("celery"), "moved");
    }

    @Test
    void movesReadyAndPriorityListsIntoPgmqExactlyOnceAndEmptiesThem() {
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            var m = Envelopes.task("tasks.add", i, i).priority(i % 3 == 0 ? 9 : i % 3 == 1 ? 6 : 0);
            tags.add(m.tag);
            h.lpush(m.priority == 9 ? P9 : m.priority == 6 ? P6 : "celery", m.bytes());
        }

        ReplayReport report = drain(spec().withLimits(0, 7, 0));

        assertThat(h.identitiesIn("moved")).containsExactlyInAnyOrderElementsOf(tags);
        assertThat(h.llen("celery") + h.llen(P6) + h.llen(P9)).isZero();
        assertThat(report.moved()).isEqualTo(25);
        assertThat(report.byTask()).containsEntry("tasks.add", 25L);
        assertThat(report.bySource()).containsEntry("celery\\x06\\x169", 9L);
        assertThat(report.state()).isEqualTo(JobState.DRAINED);
        assertThat(report.clean()).isTrue();
        assertThat(h.count("SELECT count(*) FROM celery_pgmq.ledger WHERE route = 'replay'"))
                .isEqualTo(25);
    }

    @Test
    void takesOnlyUnackedEntriesOlderThanTheVisibilityTimeoutAndSaysWhyTheRestStays() {
        double now = Instant.now().toEpochMilli() / 1000.0;
        var dead = Envelopes.task("tasks.add", 1, 2);
        var alive = Envelopes.task("tasks.add", 3, 4);
        h.unacked(dead, now - 120);
        h.unacked(alive, now - 5);

        ReplayReport report = drain(spec().withVisibilityTimeout(Duration.ofSeconds(60)));

        assertThat(h.identitiesIn("moved")).containsExactly(dead.tag);
        assertThat(h.redis.hexists("unacked", alive.tag)).isTrue();
        assertThat(h.redis.hexists("unacked", dead.tag)).isFalse();
        assertThat(h.redis.zscore("unacked_index", dead.tag)).isNull();
        assertThat(report.left()).containsEntry("unacked entry delivered within the visibility timeout (60 s)", 1L);
        assertThat(report.notes()).anyMatch(n -> n.contains("--workers-stopped"));
        assertThat(report.clean()).isFalse();
        assertThat(h.strings("SELECT source_key FROM celery_pgmq.ledger")).containsExactly("unacked");
    }

    @Test
    void takesEveryUnackedEntryOnceTheWorkersAreStopped() {
        double now = Instant.now().toEpochMilli() / 1000.0;
        var a = Envelopes.task("tasks.add", 1, 2);
        var b = Envelopes.task("tasks.add", 3, 4).priority(6);
        h.unacked(a, now - 1);
        h.unacked(b, now);

        ReplayReport report = drain(spec().withWorkersStopped(true));

        assertThat(h.identitiesIn("moved")).containsExactlyInAnyOrder(a.tag, b.tag);
        assertThat(h.redis.hlen("unacked")).isZero();
        assertThat(h.redis.zcard("unacked_index")).isZero();
        assertThat(report.clean()).isTrue();
    }

    @Test
    void keepsAnEtaAsAPgmqDelay() {
        Instant eta = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MICROS);
        // Celery writes six fraction digits (it reads ".312" as 312 microseconds).
        String text = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'+00:00'")
                .withZone(ZoneOffset.UTC)
                .format(eta);
        var m = Envelopes.task("tasks.add", 1, 2).eta(text);
        h.unacked(m, Instant.now().getEpochSecond() - 7200);

        ReplayReport report = drain(spec());

        Instant vt = Instant.parse(h.strings("SELECT to_char(vt AT TIME ZONE 'UTC',"
                        + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM pgmq.q_moved")
                .get(0));
        assertThat(vt).isEqualTo(eta);
        assertThat(report.delayed()).isEqualTo(1);
    }

    @Test
    void quarantinesWhatCannotBeDecodedAndMovesTheRest() {
        var good = Envelopes.task("tasks.add", 1, 2);
        h.lpush("celery", good.bytes(), "not json at all".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        ReplayReport report = drain(spec());

        assertThat(h.identitiesIn("moved")).containsExactly(good.tag);
        assertThat(h.llen("celery")).isZero();
        assertThat(report.quarantined()).isEqualTo(1);
        assertThat(report.failures()).containsEntry("BAD_ENVELOPE_JSON", 1L);
        assertThat(h.count("SELECT count(*) FROM celery_pgmq.quarantine")).isEqualTo(1);
        assertThat(report.clean()).isFalse();
    }

    @Test
    void refusesTaskTypesWithoutADestinationAndMovesNothing() {
        h.lpush(
                "celery",
                Envelopes.task("tasks.add", 1, 2).bytes(),
                Envelopes.task("tasks.mul", 3, 4).bytes());
        h.sql("INSERT INTO celery_pgmq.routes (task_pattern, mode, percent, pgmq_queue, format, version, updated_by)"
                + " VALUES ('tasks.add', 'shadow', 100, 'moved', 'task', 1, 'test')");

        assertThatThrownBy(() -> drain(DrainSpec.of(List.of("celery"), null)))
                .isInstanceOf(NoDestinationException.class)
                .hasMessageContaining("tasks.mul (1 messages)")
                .hasMessageNotContaining("tasks.add")
                .satisfies(e ->
                        assertThat(((NoDestinationException) e).taskTypes()).isEqualTo(Map.of("tasks.mul", 1L)));
        assertThat(h.llen("celery")).isEqualTo(2);
    }

    @Test
    void aTaskFilterMovesOnlyWhatMatchesAndLeavesTheRestInOrder() {
        var add1 = Envelopes.task("tasks.add", 1, 1);
        var mul = Envelopes.task("tasks.mul", 2, 2);
        var add2 = Envelopes.task("tasks.add", 3, 3);
        var echo = Envelopes.task("reports.echo", 4);
        h.lpush("celery", add1.bytes(), mul.bytes(), add2.bytes(), echo.bytes());

        ReplayReport report =
                drain(spec().withFilter(new ReplayFilter(List.of("tasks.a*", "reports.*"), Set.of(), null)));

        assertThat(h.identitiesIn("moved")).containsExactlyInAnyOrder(add1.tag, add2.tag, echo.tag);
        assertThat(h.redis.lrange("celery".getBytes(), 0, -1))
                .map(Envelopes::tagOf)
                .containsExactly(mul.tag);
        assertThat(report.skipped()).containsEntry("not selected by --task/--task-id", 1L);
        assertThat(report.clean()).isTrue();
    }

    @Test
    void stopsAtTheLimitAndTheNextRunTakesTheRest() {
        for (int i = 0; i < 10; i++) {
            h.lpush("celery", Envelopes.task("tasks.add", i, i).bytes());
        }

        ReplayReport first = drain(spec().withLimits(4, 3, 0));
        ReplayReport second = drain(spec());

        assertThat(first.moved()).isEqualTo(4);
        assertThat(first.state()).isEqualTo(JobState.LIMIT_REACHED);
        assertThat(second.moved()).isEqualTo(6);
        assertThat(second.jobTotal()).isEqualTo(10);
        assertThat(h.identitiesIn("moved")).hasSize(10).doesNotHaveDuplicates();
    }
}
