-- celery-pgmq compatible schema, version 1, written for the pgmq 1.13 SQL API.
--
-- Installed by PgmqInstaller only where the real pgmq extension is absent (tests, the embedded demo, an explicit
-- command). It is our own SQL, written from the documented API: same schema, tables, types and function
-- signatures, so that clients (ours, pgmq-py, kombu-pgmq) cannot tell the difference for the functions below.
-- Partitioned queues, FIFO groups, topics and LISTEN/NOTIFY are not provided.
--
-- The script is idempotent: PgmqInstaller runs it in one transaction, again whenever its version is newer than the
-- one recorded in the schema comment. Keep every statement re-runnable.

SELECT pg_advisory_xact_lock(hashtext('celery_pgmq.compat_schema'));

CREATE SCHEMA IF NOT EXISTS pgmq;

CREATE TABLE IF NOT EXISTS pgmq.meta (
    queue_name     varchar     NOT NULL UNIQUE,
    is_partitioned boolean     NOT NULL,
    is_unlogged    boolean     NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now()
);

DO $types$
BEGIN
    IF to_regtype('pgmq.message_record') IS NULL THEN
        CREATE TYPE pgmq.message_record AS (
            msg_id       bigint,
            read_ct      integer,
            enqueued_at  timestamptz,
            last_read_at timestamptz,
            vt           timestamptz,
            message      jsonb,
            headers      jsonb
        );
    END IF;
    IF to_regtype('pgmq.queue_record') IS NULL THEN
        CREATE TYPE pgmq.queue_record AS (
            queue_name     varchar,
            is_partitioned boolean,
            is_unlogged    boolean,
            created_at     timestamptz
        );
    END IF;
    IF to_regtype('pgmq.metrics_result') IS NULL THEN
        CREATE TYPE pgmq.metrics_result AS (
            queue_name               text,
            queue_length             bigint,
            newest_msg_age_sec       integer,
            oldest_msg_age_sec       integer,
            total_messages           bigint,
            scrape_time              timestamptz,
            queue_visible_length     bigint,
            default_partition_length bigint
        );
    END IF;
END
$types$;

-- Monitoring roles may look at queue depth without being able to change anything.
GRANT USAGE ON SCHEMA pgmq TO pg_monitor;
GRANT SELECT ON ALL TABLES IN SCHEMA pgmq TO pg_monitor;
GRANT SELECT ON ALL SEQUENCES IN SCHEMA pgmq TO pg_monitor;
ALTER DEFAULT PRIVILEGES IN SCHEMA pgmq GRANT SELECT ON TABLES TO pg_monitor;
ALTER DEFAULT PRIVILEGES IN SCHEMA pgmq GRANT SELECT ON SEQUENCES TO pg_monitor;

------------------------------------------------------------------------------------------------------------------------
-- Queue names and tables
------------------------------------------------------------------------------------------------------------------------

-- 47 = 63 (identifier limit) - 16 (the longest prefix pgmq puts before a queue name, 'archived_at_idx_').
CREATE OR REPLACE FUNCTION pgmq.validate_queue_name(queue_name text) RETURNS void
LANGUAGE plpgsql AS $fn$
BEGIN
    IF length(queue_name) > 47 THEN
        RAISE EXCEPTION 'queue name is too long, maximum length is 47 characters';
    END IF;
END
$fn$;

-- Table names are always quoted with %I, so only characters that could escape a quoted identifier or a literal in
-- dynamic SQL are refused; the error text is pgmq's, byte for byte, because clients match on it.
CREATE OR REPLACE FUNCTION pgmq.format_table_name(queue_name text, prefix text) RETURNS text
LANGUAGE plpgsql AS $fn$
BEGIN
    IF strpos(queue_name, '$') > 0 OR strpos(queue_name, ';') > 0
            OR strpos(queue_name, '--') > 0 OR strpos(queue_name, '''') > 0 THEN
        RAISE EXCEPTION 'queue name contains invalid characters: $, ;, --, or \''';
    END IF;
    RETURN lower(prefix || '_' || queue_name);
END
$fn$;

-- Shared by create_non_partitioned and create_unlogged; not part of the pgmq API.
CREATE OR REPLACE FUNCTION pgmq._compat_create_queue(queue_name text, unlogged boolean) RETURNS void
LANGUAGE plpgsql AS $fn$
DECLARE
    queue_table   text := pgmq.format_table_name(queue_name, 'q');
    archive_table text := pgmq.format_table_name(queue_name, 'a');
BEGIN
    PERFORM pgmq.validate_queue_name(queue_name);
    -- Same lock key as pgmq, so that our clients and pgmq's serialise creation and removal of one queue.
    PERFORM pg_advisory_xact_lock(hashtext('pgmq.queue_' || queue_name));
    EXECUTE format(
        'CREATE %s TABLE IF NOT EXISTS pgmq.%I ('
        || ' msg_id bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,'
        || ' read_ct integer NOT NULL DEFAULT 0,'
        || ' enqueued_at timestamptz NOT NULL DEFAULT now(),'
        || ' last_read_at timestamptz,'
        || ' vt timestamptz NOT NULL,'
        || ' message jsonb,'
        || ' headers jsonb)',
        CASE WHEN unlogged THEN 'UNLOGGED' ELSE '' END, queue_table);
    EXECUTE format(
        'CREATE TABLE IF NOT EXISTS pgmq.%I ('
        || ' msg_id bigint PRIMARY KEY,'
        || ' read_ct integer NOT NULL DEFAULT 0,'
        || ' enqueued_at timestamptz NOT NULL DEFAULT now(),'
        || ' last_read_at timestamptz,'
        || ' archived_at timestamptz NOT NULL DEFAULT now(),'
        || ' vt timestamptz NOT NULL,'
        || ' message jsonb,'
        || ' headers jsonb)',
        archive_table);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON pgmq.%I (vt)', queue_table || '_vt_idx', queue_table);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON pgmq.%I (archived_at)',
        'archived_at_idx_' || queue_name, archive_table);
    INSERT INTO pgmq.meta AS m (queue_name, is_partitioned, is_unlogged)
    VALUES (_compat_create_queue.queue_name, false, unlogged)
    ON CONFLICT ON CONSTRAINT meta_queue_name_key DO NOTHING;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.create_non_partitioned(queue_name text) RETURNS void
LANGUAGE sql AS $fn$
    SELECT pgmq._compat_create_queue(queue_name, false);
$fn$;

CREATE OR REPLACE FUNCTION pgmq.create_unlogged(queue_name text) RETURNS void
LANGUAGE sql AS $fn$
    SELECT pgmq._compat_create_queue(queue_name, true);
$fn$;

CREATE OR REPLACE FUNCTION pgmq."create"(queue_name text) RETURNS void
LANGUAGE sql AS $fn$
    SELECT pgmq.create_non_partitioned(queue_name);
$fn$;

CREATE OR REPLACE FUNCTION pgmq.drop_queue(queue_name text) RETURNS boolean
LANGUAGE plpgsql AS $fn$
DECLARE
    queue_table   text := pgmq.format_table_name(queue_name, 'q');
    archive_table text := pgmq.format_table_name(queue_name, 'a');
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('pgmq.queue_' || queue_name));
    IF to_regclass(format('pgmq.%I', queue_table)) IS NULL THEN
        RAISE NOTICE 'pgmq queue `%` does not exist', queue_name;
        RETURN false;
    END IF;
    EXECUTE format('DROP TABLE IF EXISTS pgmq.%I', queue_table);
    EXECUTE format('DROP TABLE IF EXISTS pgmq.%I', archive_table);
    DELETE FROM pgmq.meta AS m WHERE m.queue_name = drop_queue.queue_name;
    RETURN true;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.drop_queue(queue_name text, partitioned boolean) RETURNS boolean
LANGUAGE plpgsql AS $fn$
BEGIN
    RAISE WARNING 'drop_queue(queue_name, partitioned) is deprecated, call drop_queue(queue_name)';
    PERFORM pgmq.drop_queue(queue_name);
    RETURN true;
END
$fn$;

-- Counts first: TRUNCATE cannot report how many rows it removed.
CREATE OR REPLACE FUNCTION pgmq.purge_queue(queue_name text) RETURNS bigint
LANGUAGE plpgsql AS $fn$
DECLARE
    queue_table text := pgmq.format_table_name(queue_name, 'q');
    purged      bigint;
BEGIN
    EXECUTE format('SELECT count(*) FROM pgmq.%I', queue_table) INTO purged;
    EXECUTE format('TRUNCATE pgmq.%I', queue_table);
    RETURN purged;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.list_queues() RETURNS SETOF pgmq.queue_record
LANGUAGE sql AS $fn$
    SELECT m.queue_name, m.is_partitioned, m.is_unlogged, m.created_at FROM pgmq.meta AS m;
$fn$;

------------------------------------------------------------------------------------------------------------------------
-- Metrics: measured against now(), the start of the caller's transaction, like enqueued_at.
------------------------------------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION pgmq.metrics(queue_name text) RETURNS pgmq.metrics_result
LANGUAGE plpgsql AS $fn$
DECLARE
    queue_table text := pgmq.format_table_name(queue_name, 'q');
    sequence    text;
    result      pgmq.metrics_result;
BEGIN
    sequence := pg_get_serial_sequence(format('pgmq.%I', queue_table), 'msg_id');
    EXECUTE format(
        'SELECT $1, count(*),'
        || ' extract(epoch FROM now() - max(enqueued_at))::integer,'
        || ' extract(epoch FROM now() - min(enqueued_at))::integer,'
        || ' (SELECT CASE WHEN s.is_called THEN s.last_value ELSE 0 END FROM %s AS s),'
        || ' now(),'
        || ' count(*) FILTER (WHERE vt <= now()),'
        || ' NULL::bigint'
        || ' FROM pgmq.%I',
        sequence, queue_table)
    INTO result
    USING queue_name;
    RETURN result;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.metrics_all() RETURNS SETOF pgmq.metrics_result
LANGUAGE plpgsql AS $fn$
DECLARE
    each_queue text;
BEGIN
    FOR each_queue IN SELECT m.queue_name FROM pgmq.meta AS m ORDER BY m.queue_name LOOP
        RETURN NEXT pgmq.metrics(each_queue);
    END LOOP;
END
$fn$;

------------------------------------------------------------------------------------------------------------------------
-- Sending. Every overload ends in the (queue, msg, headers, timestamptz) form; integer delays are seconds from
-- clock_timestamp(). The overload set is pgmq's exactly, so untyped calls are ambiguous here as they are there.
------------------------------------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION pgmq.send(queue_name text, msg jsonb, headers jsonb, delay timestamptz)
RETURNS SETOF bigint
LANGUAGE plpgsql AS $fn$
BEGIN
    RETURN QUERY EXECUTE format(
        'INSERT INTO pgmq.%I (vt, message, headers) VALUES ($1, $2, $3) RETURNING msg_id',
        pgmq.format_table_name(queue_name, 'q'))
    USING delay, msg, headers;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.send(queue_name text, msg jsonb) RETURNS SETOF bigint
LANGUAGE sql AS $fn$
    SELECT * FROM pgmq.send(queue_name, msg, NULL::jsonb, clock_timestamp());
$fn$;

CREATE OR REPLACE FUNCTION pgmq.send(queue_name text, msg jsonb, headers jsonb) RETURNS SETOF bigint
LANGUAGE sql AS $fn$
    SELECT * FROM pgmq.send(queue_name, msg, headers, clock_timestamp());
$fn$;

CREATE OR REPLACE FUNCTION pgmq.send(queue_name text, msg jsonb, delay integer) RETURNS SETOF bigint
LANGUAGE sql AS $fn$
    SELECT * FROM pgmq.send(queue_name, msg, NULL::jsonb, clock_timestamp() + make_interval(secs => delay));
$fn$;

CREATE OR REPLACE FUNCTION pgmq.send(queue_name text, msg jsonb, delay timestamptz) RETURNS SETOF bigint
LANGUAGE sql AS $fn$
    SELECT * FROM pgmq.send(queue_name, msg, NULL::jsonb, delay);
$fn$;

CREATE OR REPLACE FUNCTION pgmq.send(queue_name text, msg jsonb, headers jsonb, delay integer)
RETURNS SETOF bigint
LANGUAGE sql AS $fn$
    SELECT * FROM pgmq.send(queue_name, msg, headers, clock_timestamp() + make_interval(secs => delay));
$fn$;

-- One INSERT for the whole batch; identities are drawn in array order, so sorting the ids restores that order.
CREATE OR REPLACE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay timestamptz)
RETURNS SETOF bigint
LANGUAGE plpgsql AS $fn$
BEGIN
    IF msgs IS NULL OR cardinality(msgs) = 0 THEN
        RAISE EXCEPTION 'msgs cannot be NULL or empty';
    END IF;
    IF headers IS NOT NULL AND cardinality(headers) <> cardinality(msgs) THEN
        RAISE EXCEPTION 'headers length (%) must match msgs length (%)', cardinality(headers), cardinality(msgs);
    END IF;
    RETURN QUERY EXECUTE format(
        'WITH inserted AS ('
        || ' INSERT INTO pgmq.%I (vt, message, headers)'
        || ' SELECT $1, b.message, b.header'
        || ' FROM unnest($2, $3) WITH ORDINALITY AS b(message, header, position)'
        || ' ORDER BY b.position'
        || ' RETURNING msg_id)'
        || ' SELECT msg_id FROM inserted ORDER BY msg_id',
        pgmq.format_table_name(queue_name, 'q'))
    USING delay, msgs, headers;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[]) RETURNS SETOF bigint
LANGUAGE sql AS $fn$
    SELECT * FROM pgmq.send_batch(queue_name, msgs, NULL::jsonb[], clock_timestamp());
$fn$;

CREATE OR REPLACE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[]) RETURNS SETOF bigint
LANGUAGE sql AS $fn$
    SELECT * FROM pgmq.send_batch(queue_name, msgs, headers, clock_timestamp());
$fn$;

CREATE OR REPLACE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], delay integer) RETURNS SETOF bigint
LANGUAGE sql AS $fn$
    SELECT * FROM pgmq.send_batch(queue_name, msgs, NULL::jsonb[], clock_timestamp() + make_interval(secs => delay));
$fn$;

CREATE OR REPLACE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], delay timestamptz) RETURNS SETOF bigint
LANGUAGE sql AS $fn$
    SELECT * FROM pgmq.send_batch(queue_name, msgs, NULL::jsonb[], delay);
$fn$;

CREATE OR REPLACE FUNCTION pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay integer)
RETURNS SETOF bigint
LANGUAGE sql AS $fn$
    SELECT * FROM pgmq.send_batch(queue_name, msgs, headers, clock_timestamp() + make_interval(secs => delay));
$fn$;

------------------------------------------------------------------------------------------------------------------------
-- Reading: a message is visible when vt <= clock_timestamp(); SKIP LOCKED lets concurrent readers share a queue.
------------------------------------------------------------------------------------------------------------------------

-- NULL or '{}' as conditional means "no filter"; anything else must be contained in the message (jsonb @>).
CREATE OR REPLACE FUNCTION pgmq.read(queue_name text, vt integer, qty integer, conditional jsonb DEFAULT '{}')
RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql AS $fn$
BEGIN
    RETURN QUERY EXECUTE format(
        'WITH visible AS ('
        || ' SELECT msg_id FROM pgmq.%1$I'
        || ' WHERE vt <= clock_timestamp() AND ($3 IS NULL OR $3 = ''{}''::jsonb OR message @> $3)'
        || ' ORDER BY msg_id LIMIT $1 FOR UPDATE SKIP LOCKED),'
        || ' taken AS ('
        || ' UPDATE pgmq.%1$I AS q'
        || ' SET vt = clock_timestamp() + $2, read_ct = q.read_ct + 1, last_read_at = clock_timestamp()'
        || ' FROM visible WHERE q.msg_id = visible.msg_id'
        || ' RETURNING q.msg_id, q.read_ct, q.enqueued_at, q.last_read_at, q.vt, q.message, q.headers)'
        || ' SELECT * FROM taken ORDER BY msg_id',
        pgmq.format_table_name(queue_name, 'q'))
    USING qty, make_interval(secs => vt), conditional;
END
$fn$;

-- Each read runs as its own statement, so it sees messages committed while we wait. Reads at least once.
CREATE OR REPLACE FUNCTION pgmq.read_with_poll(
    queue_name text, vt integer, qty integer,
    max_poll_seconds integer DEFAULT 5, poll_interval_ms integer DEFAULT 100, conditional jsonb DEFAULT '{}')
RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql AS $fn$
DECLARE
    give_up_at timestamptz := clock_timestamp() + make_interval(secs => max_poll_seconds);
BEGIN
    LOOP
        RETURN QUERY SELECT * FROM pgmq.read(
            read_with_poll.queue_name, read_with_poll.vt, read_with_poll.qty, read_with_poll.conditional);
        IF FOUND OR clock_timestamp() >= give_up_at THEN
            RETURN;
        END IF;
        PERFORM pg_sleep(poll_interval_ms / 1000.0);
    END LOOP;
END
$fn$;

-- Takes and deletes; nothing is archived and read_ct stays as it was.
CREATE OR REPLACE FUNCTION pgmq.pop(queue_name text, qty integer DEFAULT 1) RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql AS $fn$
BEGIN
    RETURN QUERY EXECUTE format(
        'WITH visible AS ('
        || ' SELECT msg_id FROM pgmq.%1$I WHERE vt <= clock_timestamp()'
        || ' ORDER BY msg_id LIMIT $1 FOR UPDATE SKIP LOCKED),'
        || ' taken AS ('
        || ' DELETE FROM pgmq.%1$I AS q USING visible WHERE q.msg_id = visible.msg_id'
        || ' RETURNING q.msg_id, q.read_ct, q.enqueued_at, q.last_read_at, q.vt, q.message, q.headers)'
        || ' SELECT * FROM taken ORDER BY msg_id',
        pgmq.format_table_name(queue_name, 'q'))
    USING qty;
END
$fn$;

------------------------------------------------------------------------------------------------------------------------
-- Visibility timeouts: set_vt never touches read_ct.
------------------------------------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION pgmq.set_vt(queue_name text, msg_ids bigint[], vt timestamptz)
RETURNS SETOF pgmq.message_record
LANGUAGE plpgsql AS $fn$
BEGIN
    RETURN QUERY EXECUTE format(
        'WITH changed AS ('
        || ' UPDATE pgmq.%I AS q SET vt = $2 WHERE q.msg_id = ANY($1)'
        || ' RETURNING q.msg_id, q.read_ct, q.enqueued_at, q.last_read_at, q.vt, q.message, q.headers)'
        || ' SELECT * FROM changed ORDER BY msg_id',
        pgmq.format_table_name(queue_name, 'q'))
    USING msg_ids, vt;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.set_vt(queue_name text, msg_ids bigint[], vt integer)
RETURNS SETOF pgmq.message_record
LANGUAGE sql AS $fn$
    SELECT * FROM pgmq.set_vt(queue_name, msg_ids, clock_timestamp() + make_interval(secs => vt));
$fn$;

CREATE OR REPLACE FUNCTION pgmq.set_vt(queue_name text, msg_id bigint, vt timestamptz)
RETURNS SETOF pgmq.message_record
LANGUAGE sql AS $fn$
    SELECT * FROM pgmq.set_vt(queue_name, ARRAY[msg_id], vt);
$fn$;

CREATE OR REPLACE FUNCTION pgmq.set_vt(queue_name text, msg_id bigint, vt integer)
RETURNS SETOF pgmq.message_record
LANGUAGE sql AS $fn$
    SELECT * FROM pgmq.set_vt(queue_name, ARRAY[msg_id], clock_timestamp() + make_interval(secs => vt));
$fn$;

------------------------------------------------------------------------------------------------------------------------
-- Acknowledging: archive moves rows (visible or not) to a_<name> in one statement; delete removes them.
------------------------------------------------------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION pgmq.archive(queue_name text, msg_ids bigint[]) RETURNS SETOF bigint
LANGUAGE plpgsql AS $fn$
BEGIN
    RETURN QUERY EXECUTE format(
        'WITH moved AS ('
        || ' DELETE FROM pgmq.%I WHERE msg_id = ANY($1)'
        || ' RETURNING msg_id, read_ct, enqueued_at, last_read_at, vt, message, headers),'
        || ' archived AS ('
        || ' INSERT INTO pgmq.%I (msg_id, read_ct, enqueued_at, last_read_at, vt, message, headers)'
        || ' SELECT msg_id, read_ct, enqueued_at, last_read_at, vt, message, headers FROM moved'
        || ' RETURNING msg_id)'
        || ' SELECT msg_id FROM archived ORDER BY msg_id',
        pgmq.format_table_name(queue_name, 'q'), pgmq.format_table_name(queue_name, 'a'))
    USING msg_ids;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq.archive(queue_name text, msg_id bigint) RETURNS boolean
LANGUAGE sql AS $fn$
    SELECT EXISTS (SELECT 1 FROM pgmq.archive(queue_name, ARRAY[msg_id]));
$fn$;

CREATE OR REPLACE FUNCTION pgmq."delete"(queue_name text, msg_ids bigint[]) RETURNS SETOF bigint
LANGUAGE plpgsql AS $fn$
BEGIN
    RETURN QUERY EXECUTE format(
        'WITH removed AS (DELETE FROM pgmq.%I WHERE msg_id = ANY($1) RETURNING msg_id)'
        || ' SELECT msg_id FROM removed ORDER BY msg_id',
        pgmq.format_table_name(queue_name, 'q'))
    USING msg_ids;
END
$fn$;

CREATE OR REPLACE FUNCTION pgmq."delete"(queue_name text, msg_id bigint) RETURNS boolean
LANGUAGE sql AS $fn$
    SELECT EXISTS (SELECT 1 FROM pgmq."delete"(queue_name, ARRAY[msg_id]));
$fn$;

-- The marker PgmqInstaller reads to tell this schema from a real pgmq install; keep "vN" in step with the installer.
COMMENT ON SCHEMA pgmq IS 'celery-pgmq compatible schema v1 (pgmq API 1.13)';
