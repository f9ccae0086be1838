package io.celerypgmq.bridge.dashboard;

import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.pgmq.Delay;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.QueueName;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteStore;
import io.celerypgmq.testkit.TestPostgres;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.RealCelery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import javax.sql.DataSource;

/**
 * A migration in progress, seeded through the real stores: routes with history, flow counters, ledger rows, a pgmq
 * queue with archive and DLQ, a quarantined message, and real Celery messages waiting in Redis.
 */
final class DashboardFixture {
    static final String WELCOME = "send_welcome_email";
    static final String REPORT = "generate_user_report";

    private DashboardFixture() {}

    static void seed(TestPostgres pg, TestRedis redis, Instant now) throws SQLException {
        DataSource db = pg.dataSource();
        PgmqInstaller.ensure(db);
        BridgeSchema.install(db);
        PgmqClient pgmq = new PgmqClient(db);
        pgmq.create(QueueName.of("user_tasks"));
        pgmq.create(QueueName.of("user_tasks_dlq"));
        pgmq.create(QueueName.of("user_tasks_shadow"));
        RouteStore routes = new RouteStore(db);
        routes.set(new Route(WELCOME, RouteMode.SHADOW, 100, "user_tasks_shadow", PayloadFormat.TASK), "ops", "shadow");
        routes.set(new Route(WELCOME, RouteMode.PGMQ, 10, "user_tasks", PayloadFormat.TASK), "ops", "canary");
        routes.set(new Route(REPORT, RouteMode.SHADOW, 100, "user_tasks_shadow", PayloadFormat.TASK), "ops", null);

        String headers = "{\"x-celery-task\": \"" + WELCOME + "\"}";
        List<Long> ids = pgmq.sendBatch(
                QueueName.of("user_tasks"),
                List.of("{\"n\": 1}", "{\"n\": 2}", "{\"n\": 3}", "{\"n\": 4}"),
                List.of(headers, headers, headers, headers),
                Delay.NONE);
        pgmq.archive(QueueName.of("user_tasks"), List.of(ids.get(0), ids.get(1)));
        pgmq.send(QueueName.of("user_tasks_dlq"), "{\"error\": \"smtp down\"}", headers, Delay.NONE);

        try (Connection c = db.getConnection()) {
            Timestamp minute = Timestamp.from(now.truncatedTo(ChronoUnit.MINUTES));
            sql(
                    c,
                    "INSERT INTO celery_pgmq.flow VALUES (?, ?, 'pgmq', 'to_celery', 40), (?, ?, 'pgmq', 'to_pgmq', 10),"
                            + " (?, ?, 'shadow', 'to_shadow', 5)",
                    minute,
                    WELCOME,
                    minute,
                    WELCOME,
                    minute,
                    REPORT);
            for (int i = 0; i < 3; i++) {
                sql(
                        c,
                        "INSERT INTO celery_pgmq.ledger (identity, task_id, task_name, source_key, route, pgmq_queue,"
                                + " pgmq_msg_id, instance) VALUES (?, ?, ?, 'celery', 'pgmq', 'user_tasks', ?, 'test')",
                        "tag-" + i,
                        "id-" + i,
                        WELCOME,
                        ids.get(i));
            }
            sql(
                    c,
                    "INSERT INTO celery_pgmq.quarantine (fingerprint, source_key, raw, reason, detail)"
                            + " VALUES ('sha256:x', 'celery', '\\x6e6f'::bytea, 'BAD_ENVELOPE_JSON', 'not json')");
        }

        RealCelery.require()
                .publish(
                        redis.url(),
                        List.of(
                                CallSpec.task(WELCOME, "a@example.com"),
                                CallSpec.task(WELCOME, "b@example.com"),
                                CallSpec.task(REPORT, 7).priority(9),
                                CallSpec.task("send_digest", 1).queue("emails"),
                                CallSpec.task("send_digest", 2).queue("emails")),
                        PublishOptions.defaults());
    }

    private static void sql(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.executeUpdate();
        }
    }
}
