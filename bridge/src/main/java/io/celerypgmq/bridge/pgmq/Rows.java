package io.celerypgmq.bridge.pgmq;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads pgmq's results, mapping records by column name, never by position: {@code last_read_at} moved into the
 * middle of {@code message_record} in 1.10 and is absent before; {@code metrics_result} grew columns in 1.5 and 1.13.
 */
final class Rows {
    private final ResultSet rs;
    private final Set<String> columns = new HashSet<>();

    private Rows(ResultSet rs) throws SQLException {
        this.rs = rs;
        ResultSetMetaData meta = rs.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
        }
    }

    /** {@code message_record} rows sorted by id: pgmq returns them in UPDATE order, which is not id order. */
    static List<PgmqMessage> messages(ResultSet rs) throws SQLException {
        Rows rows = new Rows(rs);
        List<PgmqMessage> messages = new ArrayList<>();
        while (rs.next()) {
            messages.add(rows.toMessage());
        }
        messages.sort(Comparator.comparingLong(PgmqMessage::msgId));
        return messages;
    }

    static Optional<PgmqMessage> first(ResultSet rs) throws SQLException {
        return messages(rs).stream().findFirst();
    }

    static List<QueueInfo> queues(ResultSet rs) throws SQLException {
        Rows rows = new Rows(rs);
        List<QueueInfo> queues = new ArrayList<>();
        while (rs.next()) {
            queues.add(new QueueInfo(
                    rs.getString("queue_name"),
                    rs.getBoolean("is_partitioned"),
                    rs.getBoolean("is_unlogged"),
                    rows.instant("created_at")));
        }
        return queues;
    }

    static List<QueueMetrics> metrics(ResultSet rs) throws SQLException {
        Rows rows = new Rows(rs);
        List<QueueMetrics> metrics = new ArrayList<>();
        while (rs.next()) {
            metrics.add(rows.toMetrics());
        }
        return metrics;
    }

    /** The first column of every row, e.g. the ids {@code send_batch} returns, in the order returned. */
    static List<Long> longs(ResultSet rs) throws SQLException {
        List<Long> values = new ArrayList<>();
        while (rs.next()) {
            values.add(rs.getLong(1));
        }
        return values;
    }

    static List<Long> sortedLongs(ResultSet rs) throws SQLException {
        List<Long> values = longs(rs);
        values.sort(null);
        return values;
    }

    static boolean firstBoolean(ResultSet rs) throws SQLException {
        return rs.next() && rs.getBoolean(1);
    }

    private PgmqMessage toMessage() throws SQLException {
        return new PgmqMessage(
                rs.getLong("msg_id"),
                rs.getInt("read_ct"),
                instant("enqueued_at"),
                instant("last_read_at"),
                instant("vt"),
                rs.getString("message"),
                columns.contains("headers") ? rs.getString("headers") : null);
    }

    private QueueMetrics toMetrics() throws SQLException {
        return new QueueMetrics(
                rs.getString("queue_name"),
                rs.getLong("queue_length"),
                optional("newest_msg_age_sec", Integer.class),
                optional("oldest_msg_age_sec", Integer.class),
                rs.getLong("total_messages"),
                instant("scrape_time"),
                optional("queue_visible_length", Long.class),
                optional("default_partition_length", Long.class));
    }

    private Instant instant(String column) throws SQLException {
        OffsetDateTime value = optional(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** The column's value, or {@code null} when it is SQL NULL or this pgmq release has no such column. */
    private <T> T optional(String column, Class<T> type) throws SQLException {
        return columns.contains(column) ? rs.getObject(column, type) : null;
    }
}
