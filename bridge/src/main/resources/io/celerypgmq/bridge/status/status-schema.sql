-- celery-pgmq status: the latest census of Celery's Redis by task type. Idempotent: safe to run on every start.
CREATE SCHEMA IF NOT EXISTS celery_pgmq;

-- One row per (Celery queue, task type) found in the latest census; the whole table is replaced by each census, so
-- every row carries the same checked_at. Readers derive draining/drained and the Celery side's lag from it.
CREATE TABLE IF NOT EXISTS celery_pgmq.redis_census (
    queue_name      text        NOT NULL,
    task_name       text        NOT NULL,
    waiting         bigint      NOT NULL,          -- in the queue's base and priority lists
    reserved        bigint      NOT NULL,          -- in unacked, restored to this queue
    oldest_identity text,                          -- the waiting message first seen earliest
    oldest_seen_at  timestamptz,                   -- when the census first saw it
    lower_bound     boolean     NOT NULL,          -- it was already there at the census's first pass
    capped          boolean     NOT NULL,          -- the queue had more than a census reads: counts are lower bounds
    checked_at      timestamptz NOT NULL,
    checked_by      text        NOT NULL,
    PRIMARY KEY (queue_name, task_name)
);

-- When the last census ran, also when it found nothing at all.
CREATE TABLE IF NOT EXISTS celery_pgmq.redis_census_runs (
    id          integer     PRIMARY KEY CHECK (id = 1),
    checked_at  timestamptz NOT NULL,
    checked_by  text        NOT NULL
);
