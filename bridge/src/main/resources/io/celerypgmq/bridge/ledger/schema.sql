-- celery-pgmq's own tables, beside pgmq in the same database. Idempotent: safe to run on every start.
CREATE SCHEMA IF NOT EXISTS celery_pgmq;

CREATE TABLE IF NOT EXISTS celery_pgmq.schema_version (
    version    integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);

-- One row per message handed to pgmq: the proof the verifier reconciles against pgmq's queue, archive and DLQ.
CREATE TABLE IF NOT EXISTS celery_pgmq.ledger (
    identity     text        PRIMARY KEY,          -- kombu delivery_tag, or sha256:<hex> of the raw bytes
    task_id      text        NOT NULL,
    task_name    text        NOT NULL,
    source_key   text        NOT NULL,             -- Redis list (or unacked) the message came from
    route        text        NOT NULL,             -- pgmq | shadow | replay
    pgmq_queue   text        NOT NULL,
    pgmq_msg_id  bigint,                           -- NULL when recorded as expired instead of sent
    outcome      text        NOT NULL DEFAULT 'sent' CHECK (outcome IN ('sent', 'expired')),
    eta          timestamptz,
    bridged_at   timestamptz NOT NULL DEFAULT now(),
    instance     text        NOT NULL,
    envelope     bytea                             -- the original kombu envelope, for a byte-exact rollback
);
ALTER TABLE celery_pgmq.ledger ADD COLUMN IF NOT EXISTS envelope bytea;
-- Schema 5: a digest of the message's body, so a later message under the same identity can be told apart from a true
-- duplicate (an identity collision is quarantined, never sent over the first). NULL on rows written before.
ALTER TABLE celery_pgmq.ledger ADD COLUMN IF NOT EXISTS digest bigint;
CREATE INDEX IF NOT EXISTS ledger_queue_msg_idx ON celery_pgmq.ledger (pgmq_queue, pgmq_msg_id);
-- The verifier selects a window of bridged_at (and maybe a task pattern, which a leading task_name could not serve
-- for a pattern): schema 4 indexes bridged_at alone, an append at the right edge per insert, in place of schema 1-3's
-- (task_name, bridged_at), which nothing read. Building it on a large ledger holds its writers for the build, once.
DROP INDEX IF EXISTS celery_pgmq.ledger_task_time_idx;
CREATE INDEX IF NOT EXISTS ledger_bridged_at_idx ON celery_pgmq.ledger (bridged_at);

-- Current route per task type; every change also lands in route_history.
CREATE TABLE IF NOT EXISTS celery_pgmq.routes (
    task_pattern text        PRIMARY KEY,
    mode         text        NOT NULL CHECK (mode IN ('celery', 'shadow', 'pgmq')),
    percent      integer     NOT NULL CHECK (percent BETWEEN 0 AND 100),
    pgmq_queue   text,
    format       text        NOT NULL CHECK (format IN ('kombu', 'task', 'template')),
    version      bigint      NOT NULL,
    updated_at   timestamptz NOT NULL DEFAULT now(),
    updated_by   text        NOT NULL,
    reason       text
);
CREATE SEQUENCE IF NOT EXISTS celery_pgmq.route_version_seq;

CREATE TABLE IF NOT EXISTS celery_pgmq.route_history (
    id           bigserial   PRIMARY KEY,
    task_pattern text        NOT NULL,
    old_route    text,                             -- e.g. "shadow → shadow_q", NULL for the first setting
    new_route    text        NOT NULL,
    changed_at   timestamptz NOT NULL DEFAULT now(),
    changed_by   text        NOT NULL,
    reason       text
);

-- Messages that could not be decoded or were too large: kept byte for byte with the reason, never dropped.
CREATE TABLE IF NOT EXISTS celery_pgmq.quarantine (
    id           bigserial   PRIMARY KEY,
    fingerprint  text        NOT NULL UNIQUE,      -- identity when known, else sha256 of the bytes
    source_key   text        NOT NULL,
    raw          bytea       NOT NULL,
    reason       text        NOT NULL,
    detail       text        NOT NULL,
    first_seen   timestamptz NOT NULL DEFAULT now(),
    last_seen    timestamptz NOT NULL DEFAULT now(),
    seen_count   integer     NOT NULL DEFAULT 1
);
-- Schema 5: the fingerprint is the digest of the bytes (two different messages under one identity are two entries),
-- and the identity, where the message had one, is kept beside it for the operator.
ALTER TABLE celery_pgmq.quarantine ADD COLUMN IF NOT EXISTS identity text;

-- Per-minute counts of what the bridge routed, by task type, route and direction (celery side included). Each writer
-- (pump or replay job) has rows of its own, so concurrent pumps never wait on each other's rows; readers sum them.
CREATE TABLE IF NOT EXISTS celery_pgmq.flow (
    minute     timestamptz NOT NULL,
    task_name  text        NOT NULL,
    route      text        NOT NULL,
    direction  text        NOT NULL,               -- to_celery | to_pgmq | to_shadow | expired | reversed
    count      bigint      NOT NULL,
    writer     text        NOT NULL DEFAULT '',
    PRIMARY KEY (minute, task_name, route, direction, writer)
);
-- Schema 1 had no writer column: add it and widen the key.
ALTER TABLE celery_pgmq.flow ADD COLUMN IF NOT EXISTS writer text NOT NULL DEFAULT '';
DO $$
BEGIN
    IF (SELECT i.indnatts FROM pg_index i WHERE i.indexrelid = 'celery_pgmq.flow_pkey'::regclass) = 4 THEN
        ALTER TABLE celery_pgmq.flow DROP CONSTRAINT flow_pkey;
        ALTER TABLE celery_pgmq.flow ADD PRIMARY KEY (minute, task_name, route, direction, writer);
    END IF;
END
$$;

-- Bridge instances and their heartbeats: a survivor reclaims the in-flight list of an instance that went silent.
CREATE TABLE IF NOT EXISTS celery_pgmq.instances (
    instance_id  text        PRIMARY KEY,
    host         text        NOT NULL,
    pid          bigint      NOT NULL,
    inflight_key text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    heartbeat_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO celery_pgmq.schema_version (version) VALUES (1), (2), (3), (4), (5) ON CONFLICT DO NOTHING;
