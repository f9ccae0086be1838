package io.celerypgmq.bridge.pgmq;

import io.celerypgmq.bridge.store.SqlArrays;

/**
 * Every pgmq function call the client makes, with its SQL in one place.
 *
 * <p>Each parameter carries an explicit cast: without them {@code send(q, msg, headers)} and {@code send(q, msg,
 * timestamptz)} are ambiguous on real pgmq. Rows are read with {@code SELECT *} and mapped by column name, because
 * pgmq 1.10 inserted {@code last_read_at} in the middle of {@code message_record}.
 */
enum PgmqCall {
    CREATE("create", "create(queue_name)", "SELECT pgmq.create(?::text)"),
    CREATE_UNLOGGED("create_unlogged", "create_unlogged(queue_name)", "SELECT pgmq.create_unlogged(?::text)"),
    DROP_QUEUE(
            "drop_queue",
            "drop_queue(queue_name) returning false when missing",
            "1.6",
            "SELECT pgmq.drop_queue(?::text)"),
    PURGE_QUEUE("purge_queue", "purge_queue(queue_name)", "SELECT pgmq.purge_queue(?::text)"),
    LIST_QUEUES("list_queues", "list_queues()", "SELECT * FROM pgmq.list_queues()"),
    METRICS("metrics", "metrics(queue_name)", "SELECT * FROM pgmq.metrics(?::text)"),
    METRICS_ALL("metrics_all", "metrics_all()", "SELECT * FROM pgmq.metrics_all()"),
    SEND("send", "send(text, jsonb)", "SELECT * FROM pgmq.send(?::text, ?::jsonb)"),
    SEND_HEADERS("send", "send(text, jsonb, headers jsonb)", "SELECT * FROM pgmq.send(?::text, ?::jsonb, ?::jsonb)"),
    SEND_DELAY("send", "send(text, jsonb, delay integer)", "SELECT * FROM pgmq.send(?::text, ?::jsonb, ?::integer)"),
    SEND_AT(
            "send",
            "send(text, jsonb, delay timestamptz)",
            "SELECT * FROM pgmq.send(?::text, ?::jsonb, ?::timestamptz)"),
    SEND_HEADERS_DELAY(
            "send",
            "send(text, jsonb, headers jsonb, delay integer)",
            "SELECT * FROM pgmq.send(?::text, ?::jsonb, ?::jsonb, ?::integer)"),
    SEND_HEADERS_AT(
            "send",
            "send(text, jsonb, headers jsonb, delay timestamptz)",
            "SELECT * FROM pgmq.send(?::text, ?::jsonb, ?::jsonb, ?::timestamptz)"),
    SEND_BATCH(
            "send_batch",
            "send_batch(text, jsonb[])",
            "SELECT * FROM pgmq.send_batch(?::text, " + SqlArrays.JSONB + ")"),
    SEND_BATCH_HEADERS(
            "send_batch",
            "send_batch(text, jsonb[], headers jsonb[])",
            "SELECT * FROM pgmq.send_batch(?::text, " + SqlArrays.JSONB + ", " + SqlArrays.JSONB + ")"),
    SEND_BATCH_DELAY(
            "send_batch",
            "send_batch(text, jsonb[], delay integer)",
            "SELECT * FROM pgmq.send_batch(?::text, " + SqlArrays.JSONB + ", ?::integer)"),
    SEND_BATCH_AT(
            "send_batch",
            "send_batch(text, jsonb[], delay timestamptz)",
            "SELECT * FROM pgmq.send_batch(?::text, " + SqlArrays.JSONB + ", ?::timestamptz)"),
    SEND_BATCH_HEADERS_DELAY(
            "send_batch",
            "send_batch(text, jsonb[], headers jsonb[], delay integer)",
            "SELECT * FROM pgmq.send_batch(?::text, " + SqlArrays.JSONB + ", " + SqlArrays.JSONB + ", ?::integer)"),
    SEND_BATCH_HEADERS_AT(
            "send_batch",
            "send_batch(text, jsonb[], headers jsonb[], delay timestamptz)",
            "SELECT * FROM pgmq.send_batch(?::text, " + SqlArrays.JSONB + ", " + SqlArrays.JSONB + ", ?::timestamptz)"),
    READ(
            "read",
            "read(text, vt integer, qty integer, conditional jsonb)",
            "SELECT * FROM pgmq.read(?::text, ?::integer, ?::integer, ?::jsonb)"),
    READ_WITH_POLL(
            "read_with_poll",
            "read_with_poll(text, vt, qty, max_poll_seconds, poll_interval_ms, conditional jsonb)",
            "SELECT * FROM pgmq.read_with_poll(?::text, ?::integer, ?::integer, ?::integer, ?::integer, ?::jsonb)"),
    POP("pop", "pop(queue_name)", "SELECT * FROM pgmq.pop(?::text)"),
    POP_MANY("pop", "pop(queue_name, qty integer)", "1.7", "SELECT * FROM pgmq.pop(?::text, ?::integer)"),
    ARCHIVE("archive", "archive(text, bigint)", "SELECT pgmq.archive(?::text, ?::bigint)"),
    ARCHIVE_MANY("archive", "archive(text, bigint[])", "SELECT * FROM pgmq.archive(?::text, ?::bigint[])"),
    DELETE("delete", "delete(text, bigint)", "SELECT pgmq.delete(?::text, ?::bigint)"),
    DELETE_MANY("delete", "delete(text, bigint[])", "SELECT * FROM pgmq.delete(?::text, ?::bigint[])"),
    SET_VT("set_vt", "set_vt(text, bigint, vt integer)", "SELECT * FROM pgmq.set_vt(?::text, ?::bigint, ?::integer)"),
    SET_VT_AT(
            "set_vt",
            "set_vt(text, bigint, vt timestamptz)",
            "1.10",
            "SELECT * FROM pgmq.set_vt(?::text, ?::bigint, ?::timestamptz)"),
    SET_VT_MANY(
            "set_vt",
            "set_vt(text, bigint[], vt integer)",
            "1.8",
            "SELECT * FROM pgmq.set_vt(?::text, ?::bigint[], ?::integer)"),
    SET_VT_MANY_AT(
            "set_vt",
            "set_vt(text, bigint[], vt timestamptz)",
            "1.10",
            "SELECT * FROM pgmq.set_vt(?::text, ?::bigint[], ?::timestamptz)");

    /** The oldest pgmq this client supports; every call not marked otherwise exists there. */
    static final String BASELINE = "1.5";

    private final String function;
    private final String signature;
    private final String since;
    private final String sql;

    PgmqCall(String function, String signature, String sql) {
        this(function, signature, BASELINE, sql);
    }

    PgmqCall(String function, String signature, String since, String sql) {
        this.function = function;
        this.signature = signature;
        this.since = since;
        this.sql = sql;
    }

    String function() {
        return function;
    }

    String signature() {
        return signature;
    }

    String since() {
        return since;
    }

    String sql() {
        return sql;
    }
}
