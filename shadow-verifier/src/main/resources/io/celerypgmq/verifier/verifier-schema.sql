-- The verifier's own tables, beside the bridge's in celery_pgmq. Idempotent: safe to run on every start.
CREATE SCHEMA IF NOT EXISTS celery_pgmq;

-- Queue metrics sampled by `celery-pgmq verify watch`: the history behind the uptime criterion and the backlog chart.
CREATE TABLE IF NOT EXISTS celery_pgmq.samples (
    sampled_at             timestamptz NOT NULL,
    queue_name             text        NOT NULL,
    queue_length           bigint      NOT NULL,
    visible_length         bigint,
    oldest_visible_age_sec double precision,   -- NULL when no message is visible
    oldest_age_sec         double precision,
    total_messages         bigint,
    PRIMARY KEY (queue_name, sampled_at)
);
CREATE INDEX IF NOT EXISTS samples_time_idx ON celery_pgmq.samples (sampled_at);

-- Queues whose deletes are logged, and since when: before that moment a delete still looks like a loss.
CREATE TABLE IF NOT EXISTS celery_pgmq.completion_tracking (
    queue_name text        PRIMARY KEY,
    since      timestamptz NOT NULL DEFAULT now()
);

-- Messages that left a tracked pgmq queue other than by archive: delete, pop, purge.
CREATE TABLE IF NOT EXISTS celery_pgmq.completions (
    queue_name   text        NOT NULL,
    msg_id       bigint      NOT NULL,
    identity     text,
    kind         text        NOT NULL,            -- delete (delete or pop) | purge
    deleted_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    enqueued_at  timestamptz,
    last_read_at timestamptz,                     -- NULL on pgmq older than 1.10, which has no such column
    read_ct      integer
);
CREATE INDEX IF NOT EXISTS completions_msg_idx ON celery_pgmq.completions (queue_name, msg_id);

-- pgmq archives with one statement (DELETE ... RETURNING feeding an INSERT into a_<queue>); statement-level AFTER
-- triggers run once that whole statement is done, so a deleted row already present in the archive was archived,
-- not deleted, and is left out. Columns are read through to_jsonb so queue tables of any pgmq version work.
CREATE OR REPLACE FUNCTION celery_pgmq.record_deletes() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    queue text := substr(TG_TABLE_NAME, 3);
BEGIN
    EXECUTE format(
        'INSERT INTO celery_pgmq.completions'
        || ' (queue_name, msg_id, identity, kind, enqueued_at, last_read_at, read_ct)'
        || ' SELECT $1, o.msg_id, o.headers ->> $2, ''delete'', o.enqueued_at,'
        || ' (to_jsonb(o) ->> ''last_read_at'')::timestamptz, o.read_ct'
        || ' FROM gone o WHERE NOT EXISTS (SELECT 1 FROM %I.%I a WHERE a.msg_id = o.msg_id)',
        TG_TABLE_SCHEMA, 'a_' || queue)
    USING queue, TG_ARGV[0];
    RETURN NULL;
END
$fn$;

-- purge_queue() truncates, which fires no delete trigger: keep what is about to go.
CREATE OR REPLACE FUNCTION celery_pgmq.record_purge() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    queue text := substr(TG_TABLE_NAME, 3);
BEGIN
    EXECUTE format(
        'INSERT INTO celery_pgmq.completions'
        || ' (queue_name, msg_id, identity, kind, enqueued_at, last_read_at, read_ct)'
        || ' SELECT $1, o.msg_id, o.headers ->> $2, ''purge'', o.enqueued_at,'
        || ' (to_jsonb(o) ->> ''last_read_at'')::timestamptz, o.read_ct FROM %I.%I o',
        TG_TABLE_SCHEMA, TG_TABLE_NAME)
    USING queue, TG_ARGV[0];
    RETURN NULL;
END
$fn$;
