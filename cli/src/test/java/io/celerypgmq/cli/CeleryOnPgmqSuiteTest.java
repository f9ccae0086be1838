package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.daemon.BridgeDaemon;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.PgmqPreference;
import io.celerypgmq.bridge.pgmq.PgmqStatus;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.CeleryWorker;
import io.celerypgmq.testkit.celery.Execution;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.PublishedCall;
import io.celerypgmq.testkit.celery.RealCelery;
import io.celerypgmq.testkit.celery.WorkerOptions;
import io.celerypgmq.verifier.uptime.QueueWatch;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.JedisPooled;

/**
 * The Celery-on-PGMQ suite: real Celery workers and producers on kombu 5.7's {@code pgmq://} transport, real pgmq, the
 * bridge, verify and replay, both ways. Opt-in: it runs where {@code CELERY_PGMQ_TEST_KOMBU57_PYTHON} names a Python
 * with kombu's pgmq transport, the pgmq client and Celery ({@link RealCelery#requireKombu57()}); the database must
 * offer the real pgmq extension, which kombu's client creates.
 */
@RealBackends
class CeleryOnPgmqSuiteTest {
    private static final Duration RUN = Duration.ofSeconds(180);

    private CeleryOnPgmq k;

    @BeforeEach
    void setUp(TestPostgres pg, TestRedis redis) {
        RealCelery celery = RealCelery.requireKombu57();
        assertThat(pg.pgmqExtensionAvailable())
                .as("kombu's pgmq client runs CREATE EXTENSION pgmq: the server must offer the real extension")
                .isTrue();
        assertThat(PgmqInstaller.ensure(pg.dataSource(), PgmqPreference.EXTENSION)
                        .kind())
                .isEqualTo(PgmqStatus.Kind.EXTENSION);
        k = new CeleryOnPgmq(pg, redis, celery);
        System.out.println("Celery on PGMQ suite: " + celery.celeryVersion() + " via " + celery.executable());
    }

    private static List<JsonNode> redisEnvelopes(JedisPooled redis, String queue) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String key : redis.keys(queue + "*")) {
            if (redis.type(key).equals("list")) {
                for (byte[] raw : redis.lrange(key.getBytes(StandardCharsets.UTF_8), 0, -1)) {
                    out.add(CeleryOnPgmq.JSON.readTree(raw));
                }
            }
        }
        return out;
    }

    /**
     * The same publishes, written once by kombu 5.7's pgmq transport and once by the bridge in kombu format: queue,
     * message and headers are identical field by field (the bridge adds only its identity header). Delays differ as
     * documented: kombu delays by the expiration Celery sets from expires and leaves ETAs to the worker; the bridge
     * delays by the ETA.
     */
    @Test
    void theBridgeWritesWhatKombusPgmqTransportWritesForTheSamePublish() throws Exception {
        List<PublishedCall> published = k.celery.publish(
                k.redis.url(),
                List.of(
                        CallSpec.task("tasks.add", 1, 2).queue("k57.cmp-q"),
                        CallSpec.task("tasks.add", 3, 4).queue("k57.cmp-q").priority(5),
                        CallSpec.task("tasks.add", 5, 6).queue("k57.cmp-q").expiresIn(Duration.ofMinutes(10)),
                        CallSpec.task("tasks.add", 7, 8).queue("k57.cmp-q").countdown(30),
                        CallSpec.task("tasks.add", 9, 10).queue("k57.cmp-q").headers(Map.of("x-tenant", "acme")),
                        CallSpec.task("tasks.add", 11, 12).queue("k57.cmp-q").with("MessageGroupId", "tenant-7"),
                        CallSpec.task("tasks.mul", 2, 3).queue("k57.cmp-q")),
                PublishOptions.defaults());
        assertThat(published).allSatisfy(p -> assertThat(p.error()).isNull());
        Map<String, JsonNode> envelopes;
        try (JedisPooled redis = RedisConnections.open(k.redis.url())) {
            envelopes = redisEnvelopes(redis, "k57.cmp-q").stream()
                    .collect(Collectors.toMap(
                            e -> e.path("properties").path("delivery_tag").asText(), e -> e));
        }
        assertThat(envelopes).hasSize(7);
        List<JsonNode> adds = envelopes.values().stream()
                .filter(e -> e.path("headers").path("task").asText().equals("tasks.add"))
                .toList();
        List<JsonNode> muls = envelopes.values().stream()
                .filter(e -> e.path("headers").path("task").asText().equals("tasks.mul"))
                .toList();

        // kombu writes them first (tasks.mul with a queue_name_prefix), and we keep its rows
        assertThat(k.publishThroughKombu("k57.cmp-q", "", adds)).containsOnly("k57_cmp_q");
        assertThat(k.publishThroughKombu("k57.cmp-q", "pfx-", muls)).containsOnly("pfx_k57_cmp_q");
        Map<String, CeleryOnPgmq.Row> kombu = byTag(k.rows("k57_cmp_q"));
        kombu.putAll(byTag(k.rows("pfx_k57_cmp_q")));
        k.sql("DELETE FROM pgmq.q_k57_cmp_q");
        k.sql("DELETE FROM pgmq.q_pfx_k57_cmp_q");

        // then the bridge, routes set with the Celery queue name
        assertThat(k.cli(
                                "route",
                                "set",
                                "tasks.add",
                                "pgmq",
                                "--percent",
                                "10",
                                "--queue",
                                "k57.cmp-q",
                                "--format",
                                "kombu")
                        .exitCode())
                .isZero();
        assertThat(k.cli(
                                "route",
                                "set",
                                "tasks.add",
                                "pgmq",
                                "--percent",
                                "100",
                                "--queue",
                                "k57.cmp-q",
                                "--format",
                                "kombu")
                        .exitCode())
                .isZero();
        assertThat(k.cli(
                                "route",
                                "set",
                                "tasks.mul",
                                "pgmq",
                                "--percent",
                                "10",
                                "--queue",
                                "k57.cmp-q",
                                "--format",
                                "kombu",
                                "--kombu-queue-prefix",
                                "pfx-")
                        .exitCode())
                .isZero();
        assertThat(k.cli(
                                "route",
                                "set",
                                "tasks.mul",
                                "pgmq",
                                "--percent",
                                "100",
                                "--queue",
                                "k57.cmp-q",
                                "--format",
                                "kombu",
                                "--kombu-queue-prefix",
                                "pfx-")
                        .exitCode())
                .isZero();
        try (BridgeDaemon bridge = k.bridge("k57.cmp-q", "k57.cmp-q.workers")) {
            CeleryOnPgmq.await(
                    "the bridge to move all 7",
                    Duration.ofSeconds(30),
                    () -> k.rows("k57_cmp_q").size() + k.rows("pfx_k57_cmp_q").size() == 7);
        }
        Map<String, CeleryOnPgmq.Row> bridged = byTag(k.rows("k57_cmp_q"));
        bridged.putAll(byTag(k.rows("pfx_k57_cmp_q")));

        assertThat(bridged.keySet()).containsExactlyInAnyOrderElementsOf(kombu.keySet());
        assertThat(k.count("SELECT count(*) FROM pgmq.meta WHERE queue_name IN ('k57_cmp_q', 'pfx_k57_cmp_q')"))
                .as("one pgmq queue each, kombu's and the bridge's the same")
                .isEqualTo(2);
        for (String tag : kombu.keySet()) {
            CeleryOnPgmq.Row theirs = kombu.get(tag);
            CeleryOnPgmq.Row ours = bridged.get(tag);
            assertSameFields("message of " + tag, theirs.message(), ours.message());
            ObjectNode ourHeaders = ((ObjectNode) ours.headers()).deepCopy();
            assertThat(ourHeaders.remove("x-celery-identity").asText()).isEqualTo(tag);
            assertSameFields("headers of " + tag, theirs.headers(), ourHeaders);
            JsonNode env = envelopes.get(tag);
            double expires = env.path("properties").has("expiration")
                    ? Double.parseDouble(
                                    env.path("properties").path("expiration").asText())
                            / 1000
                    : 0;
            double countdown = env.path("headers").path("eta").isNull()
                    ? 0
                    : Duration.between(
                                    Instant.now(),
                                    OffsetDateTime.parse(env.path("headers")
                                                    .path("eta")
                                                    .asText())
                                            .toInstant())
                            .toSeconds();
            assertThat(theirs.delaySeconds())
                    .as("kombu's delay of %s: its expiration", tag)
                    .isCloseTo(Math.floor(expires), within(2.0));
            assertThat(ours.delaySeconds())
                    .as("the bridge's delay of %s: its ETA", tag)
                    .isCloseTo(Math.max(0, countdown), within(3.0));
        }
        assertThat(bridged.values())
                .anyMatch(r -> r.headers().path("MessageGroupId").asText().equals("tenant-7"))
                .anyMatch(r -> r.headers().path("x-tenant").asText().equals("acme"));
    }

    private static Map<String, CeleryOnPgmq.Row> byTag(List<CeleryOnPgmq.Row> rows) {
        return rows.stream()
                .collect(Collectors.toMap(
                        CeleryOnPgmq.Row::deliveryTag, Function.identity(), (a, b) -> a, HashMap::new));
    }

    /** Equal JSON, field by field, naming every field that differs. */
    private static void assertSameFields(String what, JsonNode kombu, JsonNode bridge) {
        List<String> differences = new ArrayList<>();
        diff("", kombu, bridge, differences);
        assertThat(differences)
                .as("fields of the %s that differ between kombu and the bridge", what)
                .isEmpty();
    }

    private static void diff(String path, JsonNode a, JsonNode b, List<String> out) {
        if (a != null && b != null && a.isObject() && b.isObject()) {
            Set<String> names = new TreeSet<>();
            a.fieldNames().forEachRemaining(names::add);
            b.fieldNames().forEachRemaining(names::add);
            for (String n : names) {
                diff(path + "/" + n, a.get(n), b.get(n), out);
            }
        } else if (a == null || b == null || !a.equals(b)) {
            out.add(path + ": kombu " + a + ", bridge " + b);
        }
    }

    /** Calls for {@code tasks.record}: priorities, ETAs a few seconds ahead, far expiries, plain ones. */
    private static List<CallSpec> calls(String queue, int from, int count) {
        List<CallSpec> calls = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            CallSpec c = CallSpec.task("tasks.record", List.of(i, "arg-" + i), Map.of("n", i, "s", "é-" + i))
                    .queue(queue);
            switch (i % 5) {
                case 1 -> c = c.priority(i % 10);
                case 2 -> c = c.countdown(2 + i % 3);
                case 3 -> c = c.expiresIn(Duration.ofHours(1));
                default -> {}
            }
            calls.add(c);
        }
        return calls;
    }

    private static Map<String, PublishedCall> byId(List<PublishedCall> published) {
        assertThat(published).allSatisfy(p -> assertThat(p.error()).isNull());
        return published.stream().collect(Collectors.toMap(PublishedCall::messageId, Function.identity()));
    }

    /** Each published task ran exactly once, with the arguments it was published with, not before its ETA. */
    private static void ranOnceAsPublished(Map<String, PublishedCall> published, List<Execution> runs) {
        Map<String, List<Execution>> byId = runs.stream().collect(Collectors.groupingBy(Execution::id));
        assertThat(byId.keySet()).as("task ids run").containsExactlyInAnyOrderElementsOf(published.keySet());
        byId.forEach((id, list) -> {
            assertThat(list).as("runs of %s", id).hasSize(1);
            Execution run = list.get(0);
            List<?> args = published.get(id).call().task().args();
            assertThat(run.task()).isEqualTo("tasks.record");
            assertThat(run.args())
                    .as("args of %s", id)
                    .containsExactly(((Number) args.get(0)).longValue(), args.get(1));
            assertThat(run.kwargs())
                    .as("kwargs of %s", id)
                    .isEqualTo(Map.of("n", ((Number) args.get(0)).longValue(), "s", "é-" + args.get(0)));
            if (run.eta() != null) {
                assertThat(run.executedAt())
                        .as("%s ran at its ETA %s", id, run.eta())
                        .isAfterOrEqualTo(
                                OffsetDateTime.parse(run.eta()).toInstant().minusMillis(100));
            }
        });
    }

    /**
     * Celery on Redis → bridge (kombu format, 10 % then 100 %) → a Celery worker on pgmq:// for the pgmq share and one
     * on Redis for the rest: every task runs once with its arguments, ETAs honoured; verify gives GO with every
     * ack-by-delete accounted for and the DLQ rate measured from Celery's results.
     */
    @Test
    void bridgedTasksRunOnceOnACeleryWorkerOnPgmqAndVerifyGivesGoWithEveryDeleteAccounted() throws Exception {
        assertThat(k.cli(
                                "route",
                                "set",
                                "tasks.record",
                                "pgmq",
                                "--percent",
                                "10",
                                "--queue",
                                "k57.fast-q",
                                "--format",
                                "kombu",
                                "--reason",
                                "canary on Celery-on-PGMQ")
                        .exitCode())
                .isZero();
        QueueWatch watch = new QueueWatch(k.pg.dataSource(), Clock.systemUTC(), Duration.ofDays(1));
        Thread watching = new Thread(() -> watch.run(Duration.ofSeconds(1), RUN), "verify-watch");
        watching.start();
        WorkerOptions onPgmq = WorkerOptions.defaults()
                .withBroker(k.pgmqUrl())
                .withQueues("k57.fast-q")
                .withSetting("worker_prefetch_multiplier", 10);
        WorkerOptions onRedis = WorkerOptions.defaults().withQueues("k57.fast-q.workers");
        Map<String, PublishedCall> published = new HashMap<>();
        List<Execution> runs = new ArrayList<>();
        try (BridgeDaemon bridge = k.bridge("k57.fast-q", "k57.fast-q.workers");
                CeleryWorker pgmqWorker = k.celery.startWorker(k.redis.url(), onPgmq);
                CeleryWorker redisWorker = k.celery.startWorker(k.redis.url(), onRedis)) {
            published.putAll(
                    byId(k.celery.publish(k.redis.url(), calls("k57.fast-q", 0, 100), PublishOptions.defaults())));
            CeleryOnPgmq.await(
                    "the first 100 to run",
                    RUN,
                    () -> pgmqWorker.executions().size()
                                    + redisWorker.executions().size()
                            >= 100);
            int canary = pgmqWorker.executions().size();
            assertThat(canary).as("the pgmq share at 10 %").isBetween(1, 40);

            assertThat(k.cli(
                                    "route",
                                    "set",
                                    "tasks.record",
                                    "pgmq",
                                    "--percent",
                                    "100",
                                    "--queue",
                                    "k57.fast-q",
                                    "--format",
                                    "kombu",
                                    "--reason",
                                    "all in")
                            .exitCode())
                    .isZero();
            Thread.sleep(1500); // running bridges pick a route change up within a second
            published.putAll(
                    byId(k.celery.publish(k.redis.url(), calls("k57.fast-q", 100, 200), PublishOptions.defaults())));
            CeleryOnPgmq.await(
                    "all 300 to run",
                    RUN,
                    () -> pgmqWorker.executions().size()
                                    + redisWorker.executions().size()
                            >= 300);
            Thread.sleep(2000); // a second run of anything would show by now
            runs.addAll(pgmqWorker.executions());
            runs.addAll(redisWorker.executions());
            assertThat(pgmqWorker.executions())
                    .as("every task published after the flip ran on pgmq://")
                    .hasSizeGreaterThanOrEqualTo(200 + canary);
            CeleryOnPgmq.await(
                    "pgmq queue k57_fast_q to be empty",
                    Duration.ofSeconds(30),
                    () -> k.count("SELECT count(*) FROM pgmq.q_k57_fast_q") == 0);
        } finally {
            watch.stop();
            watching.join();
        }
        ranOnceAsPublished(published, runs);

        Cli verify = k.cli(
                "verify", "--task", "tasks.record", "--result-backend", k.redisUrl(), "--format", "json", "--strict");
        JsonNode report = CeleryOnPgmq.JSON.readTree(verify.out());
        JsonNode task = report.path("tasks").get(0);
        k.cli("verify", "--task", "tasks.record", "--result-backend", k.redisUrl()); // the text report, printed
        assertThat(verify.exitCode()).as(verify.out()).isZero();
        assertThat(report.path("gate").asText()).isEqualTo("GO");
        long sent = task.path("counts").path("sent").asLong();
        assertThat(sent).as("entries sent to pgmq").isGreaterThanOrEqualTo(200);
        assertThat(task.path("counts").path("deleted").asLong())
                .as("every one deleted by its worker's ack")
                .isEqualTo(sent);
        assertThat(task.path("counts").path("missing").asLong()).isZero();
        assertThat(task.path("counts").path("unknown").asLong()).isZero();
        Iterator<JsonNode> criteria = task.path("criteria").elements();
        Map<String, JsonNode> byName = new HashMap<>();
        criteria.forEachRemaining(c -> byName.put(c.path("criterion").asText(), c));
        assertThat(byName.get("dlq_rate").path("note").asText()).startsWith("Celery results: 0 of " + sent);
    }

    /**
     * A Celery producer on pgmq:// publishes; a worker on pgmq:// runs some, holds the ETA tasks and is stopped; replay
     * pgmq-to-redis --consumers-stopped takes everything left, held ones included, back to Redis, where a worker runs
     * them: every task runs exactly once with its arguments, ETAs honoured.
     */
    @Test
    void tasksAProducerOnPgmqPublishedRollBackToRedisAndRunOnceIncludingThoseAStoppedWorkerHeld() throws Exception {
        List<CallSpec> calls = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            CallSpec c = CallSpec.task("tasks.record", List.of(i, "arg-" + i), Map.of("n", i, "s", "é-" + i))
                    .queue("k57.back-q");
            calls.add(i % 3 == 0 ? c.countdown(25) : i % 3 == 1 ? c.priority(i % 10) : c);
        }
        List<Execution> runs = new ArrayList<>();
        Map<String, PublishedCall> published;
        WorkerOptions onPgmq = WorkerOptions.defaults().withBroker(k.pgmqUrl()).withQueues("k57.back-q");
        try (CeleryWorker pgmqWorker = k.celery.startWorker(k.redis.url(), onPgmq)) {
            published = byId(k.celery.publish(
                    k.redis.url(), calls, PublishOptions.defaults().withBroker(k.pgmqUrl())));
            CeleryOnPgmq.await(
                    "the worker on pgmq:// to run some and hold the ETA tasks",
                    RUN,
                    () -> pgmqWorker.executions().size() >= 20
                            && k.count("SELECT count(*) FROM pgmq.q_k57_back_q WHERE vt > clock_timestamp()") >= 10);
            pgmqWorker.close(); // warm shutdown: kombu's pgmq transport does not give back what it read
            runs.addAll(pgmqWorker.executionsAfterStop());
        }
        long hidden = k.count("SELECT count(*) FROM pgmq.q_k57_back_q WHERE vt > clock_timestamp()");
        long left = k.count("SELECT count(*) FROM pgmq.q_k57_back_q");
        System.out.println("after the pgmq:// worker stopped: " + runs.size() + " ran, " + left + " left in pgmq, "
                + hidden + " of them held (invisible)");
        assertThat(hidden).as("messages the stopped worker held").isPositive();

        Cli withoutFlag = k.cli("replay", "pgmq-to-redis", "--queue", "k57_back_q", "--celery-queue", "k57.back-q");
        assertThat(withoutFlag.exitCode()).as("left behind: exit 1").isEqualTo(ExitCode.VERIFICATION_FAILED);
        assertThat(withoutFlag.out()).contains("held by a pgmq consumer", "--consumers-stopped");
        assertThat(k.count("SELECT count(*) FROM pgmq.q_k57_back_q"))
                .as("held messages stay without the flag")
                .isEqualTo(hidden);
        Cli back = k.cli(
                "replay",
                "pgmq-to-redis",
                "--queue",
                "k57_back_q",
                "--celery-queue",
                "k57.back-q",
                "--consumers-stopped");
        assertThat(back.exitCode()).as(back.err()).isZero();
        assertThat(k.count("SELECT count(*) FROM pgmq.q_k57_back_q")).isZero();
        assertThat(k.count("SELECT count(*) FROM celery_pgmq.quarantine"))
                .as("nothing quarantined on the way back")
                .isZero();

        try (CeleryWorker redisWorker =
                k.celery.startWorker(k.redis.url(), WorkerOptions.defaults().withQueues("k57.back-q"))) {
            CeleryOnPgmq.await(
                    "all 150 to run",
                    RUN,
                    () -> runs.size() + redisWorker.executions().size() >= 150);
            Thread.sleep(2000);
            runs.addAll(redisWorker.executions());
        }
        ranOnceAsPublished(published, runs);
    }
}
