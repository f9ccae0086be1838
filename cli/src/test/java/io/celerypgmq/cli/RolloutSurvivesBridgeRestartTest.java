package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.rollout.Rollout;
import io.celerypgmq.rollout.RolloutEvent;
import io.celerypgmq.rollout.RolloutQueries;
import io.celerypgmq.rollout.RolloutState;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code celery-pgmq bridge} process SIGKILLed in the middle of a rollout's hold: the rollout stays where it was
 * in Postgres while no bridge runs, and a restarted bridge takes the lease over (at a higher epoch) and finishes it;
 * every message ends in Celery's list or in pgmq exactly once, by identity.
 */
@RealBackends
class RolloutSurvivesBridgeRestartTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TASK = "tasks.record";

    @Test
    void aBridgeKilledMidRolloutIsRestartedAndTheRolloutContinuesWhereItWas(
            TestPostgres pg, TestRedis redis, @TempDir Path dir) throws Exception {
        try (ReplayFixture f = new ReplayFixture(pg, redis)) {
            f.reset();
            int port;
            try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
                port = free.getLocalPort();
            }
            Path config = Files.writeString(dir.resolve("bridge.yml"), config(f, port));
            assertThat(cli(f, config, "route", "set", TASK, "shadow", "--queue", "user_tasks_shadow")
                            .exitCode())
                    .isZero();
            List<String> produced = Collections.synchronizedList(new ArrayList<>());
            Thread producer = producer(f, produced);
            Thread worker = worker(f);
            Process first = bridge(f, dir, "first");
            Cli start = cli(
                    f,
                    config,
                    "rollout",
                    "start",
                    TASK,
                    "--queue",
                    "user_tasks",
                    "--steps",
                    "20,50,100",
                    "--hold",
                    "3s",
                    "--celery-queue",
                    "celery_workers");
            assertThat(start.exitCode()).as(start.err()).isZero();
            RolloutQueries store = new RolloutQueries(f.db);

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> store.find(1).orElseThrow().stepIndex() == 1);
            first.destroyForcibly();
            first.waitFor();
            Rollout atKill = store.find(1).orElseThrow();
            Thread.sleep(4_000); // longer than the lease: nobody drives
            Rollout whileDown = store.find(1).orElseThrow();
            assertThat(whileDown.version()).isEqualTo(atKill.version());
            assertThat(whileDown.state()).isEqualTo(RolloutState.RAMPING);
            assertThat(cli(f, config, "rollout", "status", TASK).out()).contains("driver: none");

            Process second = bridge(f, dir, "second");
            Rollout done = await().atMost(Duration.ofSeconds(60))
                    .until(() -> store.find(1).orElseThrow(), r -> r.state().finished());
            producer.interrupt();
            producer.join();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> f.redis.llen("celery") == 0
                            && f.redis.keys("celery-pgmq:inflight:*").stream().allMatch(k -> f.redis.llen(k) == 0));
            long held = f.redis.llen("celery_workers");
            String metrics = await().atMost(Duration.ofSeconds(20))
                    .until(
                            () -> get(port, "/metrics"),
                            m -> m.contains("celery_pgmq_redis_holds{task=\"" + TASK + "\"} " + held + ".0"));
            assertThat(metrics)
                    .as("no Celery worker runs here: the list the bridge forwarded to still holds them")
                    .contains("celery_pgmq_route_state{state=\"draining\",task=\"" + TASK + "\"} 1.0")
                    .containsPattern("celery_pgmq_queue_lag_seconds\\{queue=\"user_tasks\",side=\"pgmq\"} \\d")
                    .containsPattern("celery_pgmq_queue_lag_seconds\\{queue=\"celery_workers\",side=\"celery\"} \\d")
                    .containsPattern("celery_pgmq_task_lag_seconds\\{side=\"celery\",task=\"" + TASK + "\"} \\d")
                    .containsPattern("celery_pgmq_task_lag_seconds\\{side=\"pgmq\",task=\"" + TASK + "\"} \\d")
                    .contains("celery_pgmq_route_percent{task=\"" + TASK + "\"} 100.0");
            assertThat(get(port, "/api/status")).contains("\"state\":\"draining\"");
            second.destroy();
            second.waitFor();
            worker.interrupt();
            worker.join();

            assertThat(done.state()).as("cause: %s", done.cause()).isEqualTo(RolloutState.COMPLETED);
            List<RolloutEvent> driven =
                    store.events(1).stream().filter(e -> e.epoch() != null).toList();
            assertThat(driven)
                    .extracting(RolloutEvent::step)
                    .containsExactly("2/3 (50 %)", "3/3 (100 %)", "3/3 (100 %)");
            assertThat(driven.get(0).epoch())
                    .as("the restarted bridge took over at a higher epoch")
                    .isLessThan(driven.get(2).epoch());
            assertThat(placesOf(f, produced))
                    .as("every message in exactly one place")
                    .allSatisfy((tag, n) -> assertThat(n).as(tag).isEqualTo(1));
            assertThat(placesOf(f, produced)).hasSize(produced.size());
        }
    }

    private static String get(int port, String path) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        return http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static String config(ReplayFixture f, int port) {
        return "redis:\n  url: " + f.redisUrl + "\ndatabase:\n  url: \"" + f.databaseUrl + "\"\n"
                + "bridge:\n  instance-id: restart-test\n  http-port: " + port + "\n  heartbeat-timeout-seconds: 5\n"
                + "  forward:\n    - source: celery\n      celery-target: celery_workers\n"
                + "rollout:\n  check-interval-ms: 300\n  lease-seconds: 3\n  rollback-settle-ms: 500\n"
                + "  census-interval-seconds: 1\n";
    }

    private static Cli cli(ReplayFixture f, Path config, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--config", config.toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    private static Process bridge(ReplayFixture f, Path dir, String name) throws Exception {
        Path log = dir.resolve("bridge-" + name + ".log");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CeleryPgmq.class.getName(),
                        "bridge",
                        "--config",
                        dir.resolve("bridge.yml").toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("runs the rollout driver"));
        return p;
    }

    /** Celery messages of {@link #TASK} into the bridge's source list, about 30 a second. */
    private static Thread producer(ReplayFixture f, List<String> produced) {
        Thread t = new Thread(
                () -> {
                    for (int i = 0; !Thread.currentThread().isInterrupted(); i++) {
                        UUID tag = UUID.randomUUID();
                        f.redis.lpush(
                                "celery".getBytes(StandardCharsets.UTF_8),
                                ReplayFixture.message(TASK, i, "", null, tag, UUID.randomUUID()));
                        produced.add(tag.toString());
                        try {
                            Thread.sleep(33);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                },
                "test-producer");
        t.start();
        return t;
    }

    /** A pgmq worker that archives what it reads from the rollout's queue and the shadow queue. */
    private static Thread worker(ReplayFixture f) {
        PgmqClient pgmq = new PgmqClient(f.db);
        Thread t = new Thread(
                () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                        try {
                            for (String q : List.of("user_tasks", "user_tasks_shadow")) {
                                List<PgmqMessage> batch = pgmq.read(QueueName.of(q), 30, 50, null);
                                if (!batch.isEmpty()) {
                                    pgmq.archive(
                                            QueueName.of(q),
                                            batch.stream()
                                                    .map(PgmqMessage::msgId)
                                                    .toList());
                                }
                            }
                            Thread.sleep(50);
                        } catch (InterruptedException e) {
                            return;
                        } catch (RuntimeException e) {
                            // a queue the rollout has not created yet
                        }
                    }
                },
                "test-pgmq-worker");
        t.start();
        return t;
    }

    /** For each produced identity: how many places hold it (Celery's workers list, or pgmq's queue and archive). */
    private static Map<String, Integer> placesOf(ReplayFixture f, List<String> produced) throws Exception {
        Map<String, Integer> n = new HashMap<>();
        for (byte[] raw : f.redis.lrange("celery_workers".getBytes(StandardCharsets.UTF_8), 0, -1)) {
            JsonNode env = JSON.readTree(raw);
            n.merge(env.path("properties").path("delivery_tag").asText(), 1, Integer::sum);
        }
        f.identitiesIn("user_tasks").forEach(id -> n.merge(id, 1, Integer::sum));
        Map<String, Integer> out = new HashMap<>();
        for (String tag : produced) {
            out.put(tag, n.getOrDefault(tag, 0));
        }
        return out;
    }
}
