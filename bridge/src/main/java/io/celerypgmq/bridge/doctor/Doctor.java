package io.celerypgmq.bridge.doctor;

import com.zaxxer.hikari.HikariDataSource;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.inspect.RedisKeyspace;
import io.celerypgmq.bridge.pgmq.PgmqException;
import io.celerypgmq.bridge.pgmq.PgmqInstaller;
import io.celerypgmq.bridge.pgmq.PgmqStatus;
import io.celerypgmq.bridge.store.PostgresPool;
import io.celerypgmq.bridge.store.RedisConnections;
import io.celerypgmq.bridge.store.StoreUnavailableException;
import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.config.Secrets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * {@code celery-pgmq doctor}: checks Redis, Postgres and pgmq, and what sits in Celery's queues, for what would break
 * or bite a migration, each finding with a concrete fix. Read-only everywhere.
 */
public final class Doctor {
    private final DoctorOptions options;
    private final Clock clock;
    private final CeleryCodec codec;

    public Doctor(DoctorOptions options, Clock clock) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.codec = new CeleryCodec(CodecOptions.defaults().withPriorityKeys(options.keys()));
    }

    /** Opens both stores (one that cannot be reached becomes an error finding), examines them and closes them. */
    public DoctorReport examine(ConnectionSettings settings) {
        JedisPooled redis = null;
        HikariDataSource db = null;
        try {
            StoreReach<UnifiedJedis> r;
            try {
                redis = RedisConnections.open(settings.redis());
                r = StoreReach.reached(settings.redis().masked(), redis);
            } catch (StoreUnavailableException e) {
                r = StoreReach.unreachable(settings.redis().masked(), e.getMessage());
            }
            StoreReach<DataSource> p;
            try {
                db = PostgresPool.open(settings.database(), 2, "doctor");
                p = StoreReach.reached(settings.database().masked(), db);
            } catch (StoreUnavailableException e) {
                p = StoreReach.unreachable(settings.database().masked(), e.getMessage());
            }
            return examine(r, p);
        } finally {
            if (redis != null) {
                redis.close();
            }
            if (db != null) {
                db.close();
            }
        }
    }

    public DoctorReport examine(StoreReach<UnifiedJedis> redis, StoreReach<DataSource> postgres) {
        List<Finding> findings = new ArrayList<>();
        List<CeleryOnPgmqCheck.KombuRoute> kombuRoutes = List.of();
        if (postgres.client() == null) {
            findings.add(unreachable("postgres", postgres, "database.url (--database-url, CELERY_PGMQ_DATABASE_URL)"));
        } else {
            kombuRoutes = kombuRoutes(postgres.client(), findings);
        }
        if (redis.client() == null) {
            findings.add(unreachable("redis", redis, "redis.url (--redis-url, CELERY_PGMQ_REDIS_URL)"));
        } else {
            try {
                findings.addAll(redis(redis.client(), redis.where(), !kombuRoutes.isEmpty()));
            } catch (JedisException e) {
                findings.add(Finding.error(
                        "redis",
                        redis.where(),
                        "Redis failed during the checks: " + Secrets.mask(String.valueOf(e.getMessage())),
                        "make sure this user may run INFO, TIME, SCAN, LRANGE, HSCAN, SMEMBERS (ACL), then rerun"));
            }
        }
        if (postgres.client() != null) {
            findings.addAll(postgres(postgres.client(), postgres.where()));
            findings.addAll(CeleryOnPgmqCheck.routeFindings(kombuRoutes, pgmqKind(postgres.client())));
        }
        return new DoctorReport(clock.instant(), findings);
    }

    private static PgmqStatus.Kind pgmqKind(DataSource db) {
        try {
            return PgmqInstaller.status(db).kind();
        } catch (PgmqException e) {
            return PgmqStatus.Kind.ABSENT;
        }
    }

    /** The kombu-format routes; a failure to read them is a finding of its own, never the end of the checks. */
    private static List<CeleryOnPgmqCheck.KombuRoute> kombuRoutes(DataSource db, List<Finding> findings) {
        try (Connection c = db.getConnection()) {
            return CeleryOnPgmqCheck.routes(c);
        } catch (SQLException e) {
            findings.add(Finding.warning(
                    CeleryOnPgmqCheck.CHECK,
                    "routes",
                    "cannot read the routes: " + Secrets.mask(String.valueOf(e.getMessage())),
                    "make sure this user may read celery_pgmq.routes and celery_pgmq.completion_tracking"));
            return List.of();
        }
    }

    private static Finding unreachable(String check, StoreReach<?> store, String setting) {
        return Finding.error(
                check,
                store.where(),
                Secrets.mask(store.problem()),
                "check " + setting + ", that the server runs and is reachable from here, and the credentials");
    }

    private List<Finding> redis(UnifiedJedis redis, String where, boolean celeryOnPgmq) {
        List<Finding> out = new ArrayList<>(RedisServerCheck.run(redis, where));
        out.addAll(ClockCheck.redis(redis, clock, options, where));
        long started = System.nanoTime();
        Map<String, List<String>> lists = new RedisKeyspace(redis, options.keys()).queues();
        List<String> keys = lists.values().stream().flatMap(List::stream).toList();
        ConsumerSample sample = ConsumerSample.start(redis, keys);
        RedisSurvey survey = RedisSurvey.take(redis, codec, options, clock.instant(), lists);
        if (!keys.isEmpty()) {
            waitOut(options.consumerSample(), started);
        }
        Set<String> consumedKeys = sample.consumed(redis);
        Set<String> consumedQueues = new TreeSet<>();
        lists.forEach((queue, queueKeys) -> {
            if (queueKeys.stream().anyMatch(consumedKeys::contains)) {
                consumedQueues.add(queue);
            }
        });
        out.add(Finding.info(
                "messages",
                where,
                "read " + survey.scanned + " message(s) in " + survey.queues.size() + " queue(s) and unacked"
                        + (survey.truncated ? ", stopping at the limit of " + options.maxMessages() : "")));
        out.addAll(QueueNameCheck.run(survey));
        out.addAll(MessageChecks.eta(survey, options.visibilityTimeoutSeconds()));
        out.addAll(MessageChecks.protocols(survey));
        out.addAll(MessageChecks.undecodable(survey));
        out.addAll(BindingCheck.run(survey, consumedQueues, options.consumerSample()));
        out.addAll(CeleryOnPgmqCheck.messages(
                survey, celeryOnPgmq, options.pgmqVisibilityTimeoutSeconds(), options.kombuQueueNames()));
        return out;
    }

    private List<Finding> postgres(DataSource db, String where) {
        List<Finding> out = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            out.addAll(PostgresCheck.run(c, where));
            out.addAll(PgmqCheck.run(PgmqInstaller.status(db), c, where));
            out.addAll(ClockCheck.postgres(c, clock, options, where));
        } catch (SQLException | PgmqException e) {
            out.add(Finding.error(
                    "postgres",
                    where,
                    "Postgres failed during the checks: " + Secrets.mask(String.valueOf(e.getMessage())),
                    "make sure this user may connect and read the catalog (pg_roles, pg_extension), then rerun"));
        }
        return out;
    }

    /** Lets the consumer sample span at least its configured time, counting the survey already spent. */
    private static void waitOut(Duration sample, long startedNanos) {
        long left = sample.toNanos() - (System.nanoTime() - startedNanos);
        if (left <= 0) {
            return;
        }
        try {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
