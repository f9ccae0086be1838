package io.celerypgmq.verifier;

import io.celerypgmq.config.ConfigException;
import io.celerypgmq.config.ConfigSource;
import io.celerypgmq.config.RedisUrl;
import io.celerypgmq.config.Setting;
import io.celerypgmq.verifier.compare.CeleryResults;
import io.celerypgmq.verifier.criteria.CriteriaBook;
import io.celerypgmq.verifier.reconcile.DlqConvention;
import java.util.List;
import java.util.Optional;

/**
 * The verifier's configuration: the DLQ convention, where Celery's results are, criteria per task type, and how much
 * the report lists.
 *
 * @param resultBackend Celery's result backend; empty means Celery's broker ({@code redis.url})
 */
public record VerifierSettings(
        DlqConvention dlq,
        Optional<RedisUrl> resultBackend,
        String resultKeyPrefix,
        CriteriaBook criteria,
        int missingLimit,
        int sampleRetentionDays) {

    public static final Setting<String> DLQ_SUFFIX = Setting.text(
            "verify.dlq.suffix",
            "Dead-letter queue of queue Q is Q + this suffix (the seeds' user_tasks_dlq).",
            DlqConvention.DEFAULT_SUFFIX);
    public static final Setting<String> DLQ_QUEUE = Setting.text(
            "verify.dlq.queue",
            "One dead-letter queue shared by every queue (the seeds' 'dlq'); overrides the suffix when set.",
            null);
    public static final Setting<String> DLQ_SOURCE_MSG_ID_KEY = Setting.text(
            "verify.dlq.source-msg-id-key",
            "Header (or message) key of a DLQ message holding the msg id it had in its source queue.",
            DlqConvention.DEFAULT_SOURCE_MSG_ID_KEY);
    public static final Setting<String> DLQ_SOURCE_QUEUE_KEY = Setting.text(
            "verify.dlq.source-queue-key",
            "Header (or message) key of a DLQ message naming its source queue (required with a shared DLQ).",
            DlqConvention.DEFAULT_SOURCE_QUEUE_KEY);
    public static final Setting<String> DLQ_ERROR_KEY = Setting.text(
            "verify.dlq.error-key",
            "Header (or message) key of a DLQ message holding the error, shown in mismatch examples.",
            DlqConvention.DEFAULT_ERROR_KEY);
    public static final Setting<String> IDENTITY_HEADER = Setting.text(
            "verify.identity-header",
            "pgmq header carrying the message identity (the bridge writes x-celery-identity).",
            DlqConvention.DEFAULT_IDENTITY_KEY);
    public static final Setting<RedisUrl> RESULT_BACKEND = new Setting<>(
                    "verify.result-backend",
                    "Celery's Redis result backend, for the shadow comparison; defaults to redis.url.",
                    null,
                    null,
                    false,
                    RedisUrl::parse)
            .withEnv("CELERY_PGMQ_RESULT_BACKEND");
    public static final Setting<String> RESULT_KEY_PREFIX = Setting.text(
            "verify.result-key-prefix",
            "Key prefix of Celery's results in the result backend (add Celery's global_keyprefix if you set one).",
            CeleryResults.DEFAULT_KEY_PREFIX);
    public static final Setting<Integer> MISSING_LIMIT = Setting.integer(
            "verify.missing-limit", "How many missing identities a report lists (all are counted).", 100, 1, 100_000);
    public static final Setting<Integer> SAMPLE_RETENTION_DAYS = Setting.integer(
            "verify.watch.retention-days", "Days of `verify watch` samples kept in celery_pgmq.samples.", 30, 1, 3650);

    public static final List<Setting<?>> SETTINGS = List.of(
            DLQ_SUFFIX,
            DLQ_QUEUE,
            DLQ_SOURCE_MSG_ID_KEY,
            DLQ_SOURCE_QUEUE_KEY,
            DLQ_ERROR_KEY,
            IDENTITY_HEADER,
            RESULT_BACKEND,
            RESULT_KEY_PREFIX,
            MISSING_LIMIT,
            SAMPLE_RETENTION_DAYS);

    public static VerifierSettings defaults() {
        return new VerifierSettings(
                DlqConvention.defaults(),
                Optional.empty(),
                CeleryResults.DEFAULT_KEY_PREFIX,
                CriteriaBook.defaultsOnly(),
                100,
                30);
    }

    public static VerifierSettings from(ConfigSource source) {
        DlqConvention dlq;
        try {
            dlq = new DlqConvention(
                    source.get(DLQ_SUFFIX),
                    source.find(DLQ_QUEUE).filter(s -> !s.isBlank()).orElse(null),
                    source.get(DLQ_SOURCE_MSG_ID_KEY),
                    source.get(DLQ_SOURCE_QUEUE_KEY),
                    source.get(DLQ_ERROR_KEY),
                    source.get(IDENTITY_HEADER));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("verify.dlq", e.getMessage(), e);
        }
        return new VerifierSettings(
                dlq,
                source.find(RESULT_BACKEND),
                source.get(RESULT_KEY_PREFIX),
                CriteriaBook.fromYaml(source.node(CriteriaBook.KEY)),
                source.get(MISSING_LIMIT),
                source.get(SAMPLE_RETENTION_DAYS));
    }

    public VerifierSettings withResultBackend(RedisUrl url) {
        return new VerifierSettings(
                dlq, Optional.of(url), resultKeyPrefix, criteria, missingLimit, sampleRetentionDays);
    }
}
