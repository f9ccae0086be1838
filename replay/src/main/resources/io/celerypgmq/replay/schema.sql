-- celery-pgmq replay: job checkpoints and the redrive record. Idempotent: safe to run on every start.
CREATE SCHEMA IF NOT EXISTS celery_pgmq;

-- One row per replay job. A job is resumable: its id names its Redis in-flight list, and a restarted run redoes
-- that list before taking anything new. While a run is alive it holds a session advisory lock on the job id.
CREATE TABLE IF NOT EXISTS celery_pgmq.replay_jobs (
    job_id       text        PRIMARY KEY,
    kind         text        NOT NULL CHECK (kind IN ('redis-to-pgmq', 'pgmq-to-redis', 'redrive')),
    spec         jsonb       NOT NULL,             -- the options the job was started with
    state        text        NOT NULL CHECK (state IN ('running', 'drained', 'limit-reached', 'cancelled')),
    runs         integer     NOT NULL DEFAULT 1,   -- how many times it was started (a resume is a run)
    moved        bigint      NOT NULL DEFAULT 0,   -- pgmq → Redis and redrive: counted in the moving transaction
    inflight_key text,                             -- redis-to-pgmq: the Redis in-flight list of this job
    owner        text        NOT NULL,             -- pid@host of the latest run
    started_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    report       jsonb                             -- the latest run's final report
);

-- Every message moved out of a dead-letter queue: from where, to where, and as which new message.
CREATE TABLE IF NOT EXISTS celery_pgmq.redrive_log (
    id           bigserial   PRIMARY KEY,
    job_id       text        NOT NULL,
    from_queue   text        NOT NULL,
    from_msg_id  bigint      NOT NULL,
    to_target    text        NOT NULL,             -- pgmq queue name, or celery:<list> when redriven to Celery
    to_msg_id    bigint,                           -- NULL when redriven to Celery
    task_name    text,
    identity     text,
    read_ct      integer     NOT NULL,             -- deliveries the message had before it was redriven
    redriven_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS redrive_log_from_idx ON celery_pgmq.redrive_log (from_queue, from_msg_id);
CREATE INDEX IF NOT EXISTS redrive_log_job_idx ON celery_pgmq.redrive_log (job_id);
