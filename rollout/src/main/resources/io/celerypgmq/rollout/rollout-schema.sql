-- celery-pgmq rollouts: progressive flips gated by the verifier. Idempotent: safe to run on every start.
CREATE SCHEMA IF NOT EXISTS celery_pgmq;

-- One row per rollout of one task type: its plan, and where it stands. Only the driver holding the lease (or an
-- operator's pause/resume/abort) changes a running one, always in the transaction that changes its route.
CREATE TABLE IF NOT EXISTS celery_pgmq.rollouts (
    id              bigserial   PRIMARY KEY,
    task_name       text        NOT NULL,
    steps           integer[]   NOT NULL,          -- pgmq shares, ascending, ending at 100
    hold_ms         bigint      NOT NULL CHECK (hold_ms > 0),
    shadow_ms       bigint      NOT NULL CHECK (shadow_ms >= 0),   -- 0: no shadow phase
    pgmq_queue      text        NOT NULL,
    shadow_queue    text,
    format          text        NOT NULL,
    celery_queue    text,                          -- where a rollback pushes; NULL: the queue each message came from
    strict          boolean     NOT NULL,          -- unmeasured criteria fail a gate
    state           text        NOT NULL CHECK (state IN
                        ('shadowing', 'ramping', 'paused', 'rolling_back', 'rolled_back', 'completed')),
    step_index      integer     NOT NULL,          -- -1: the shadow phase
    step_started_at timestamptz NOT NULL,          -- the gate judges [step_started_at, gate)
    gate_at         timestamptz,                   -- when the hold ends; NULL while paused or once done
    paused_from     text,
    hold_left_ms    bigint,                        -- what was left of the hold when paused
    rollback_at     timestamptz,
    cause           text,                          -- why it rolled back: the failing criterion and its measurement
    drained         bigint      NOT NULL DEFAULT 0, -- messages the rollback moved back to Celery
    version         bigint      NOT NULL DEFAULT 0,
    started_at      timestamptz NOT NULL,
    started_by      text        NOT NULL,
    finished_at     timestamptz
);
-- At most one running rollout per task type.
CREATE UNIQUE INDEX IF NOT EXISTS rollouts_one_running ON celery_pgmq.rollouts (task_name)
    WHERE state NOT IN ('rolled_back', 'completed');

-- Everything that happened to a rollout: each step, gate verdict, pause, breach and rollback pass, with who acted.
CREATE TABLE IF NOT EXISTS celery_pgmq.rollout_events (
    id          bigserial   PRIMARY KEY,
    rollout_id  bigint      NOT NULL REFERENCES celery_pgmq.rollouts (id),
    at          timestamptz NOT NULL,
    from_state  text,
    to_state    text        NOT NULL,
    step        text        NOT NULL,
    detail      text        NOT NULL,
    actor       text        NOT NULL,
    epoch       bigint                             -- the driver's lease epoch; NULL for an operator
);
CREATE INDEX IF NOT EXISTS rollout_events_rollout_idx ON celery_pgmq.rollout_events (rollout_id, id);

-- Who drives rollouts: one row, renewed in autocommit by the bridge instance holding it. Every change a driver makes
-- checks, in its own transaction, that it still holds the lease at the epoch it acts under (a fencing token), so a
-- driver that stalled past its lease can never act after another took over. No session state: works behind
-- PgBouncer in transaction mode.
CREATE TABLE IF NOT EXISTS celery_pgmq.rollout_lease (
    name        text        PRIMARY KEY,
    holder      text,
    epoch       bigint      NOT NULL,
    expires_at  timestamptz NOT NULL
);
