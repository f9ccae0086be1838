-- The audit trail of `celery-pgmq quarantine release`: one row per quarantined message sent back, with everything the
-- quarantine row held, where it went and as what. The quarantine row is deleted in the same transaction, so a message
-- is released once; if it is quarantined again later, it is a new quarantine row. Idempotent.
CREATE SCHEMA IF NOT EXISTS celery_pgmq;

CREATE TABLE IF NOT EXISTS celery_pgmq.quarantine_releases (
    id            bigserial   PRIMARY KEY,
    quarantine_id bigint      NOT NULL UNIQUE,
    fingerprint   text        NOT NULL,
    identity      text,                          -- the message's delivery tag when it had one
    source_key    text        NOT NULL,
    reason        text        NOT NULL,
    detail        text        NOT NULL,
    raw           bytea       NOT NULL,          -- the bytes as quarantined
    first_seen    timestamptz NOT NULL,
    last_seen     timestamptz NOT NULL,
    seen_count    integer     NOT NULL,
    destination   text        NOT NULL,          -- redis:<list> | pgmq:<queue>
    sent          bytea       NOT NULL,          -- the bytes sent there (a fix, or a new delivery tag, may differ)
    new_identity  text,                          -- the delivery tag given on release, when it changed
    pgmq_msg_id   bigint,                        -- the msg id in the pgmq queue it went to
    released_by   text        NOT NULL,
    why           text,
    released_at   timestamptz NOT NULL DEFAULT now()
);
