package io.celerypgmq.bridge.pgmq;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Maps pgmq's records by column name, never by position: {@code last_read_at} moved into the middle of {@code
 * message_record} in 1.10 and is absent before; {@code metrics_result} grew columns in 1.5 and 1.13.
 */
final class Rows {
    private final ResultSet rs;
    private final Set<String> columns = new HashSet<>();

    Rows(ResultSet rs) throws SQLException {
        this.rs = rs;
        ResultSetMetaData meta = rs.getMetaData();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
        }
    }

    boolean next() throws SQLException {
        return rs.next();
    }

    PgmqMessage message() throws SQLException {
        return new PgmqMessage(
                rs.getLong("msg_id"),
                rs.getInt("read_ct"),
                instant("enqueued_at"),
                instant("last_read_at"),
                instant("vt"),
                rs.getString("message"),
                text("headers"));
    }

    QueueInfo queue() throws SQLException {
        return new QueueInfo(
                rs.getString("queue_name"),
                rs.getBoolean("is_partitioned"),
                rs.getBoolean("is_unlogged"),
                instant("created_at"));
    }

    QueueMetrics metrics() throws SQLException {
        return new QueueMetrics(
                rs.getString("queue_name"),
                rs.getLong("queue_length"),
                integer("newest_msg_age_sec"),
                integer("oldest_msg_age_sec"),
                rs.getLong("total_messages"),
                instant("scrape_time"),
                bigint("queue_visible_length"),
                bigint("default_partition_length"));
    }

    private Instant instant(String column) throws SQLException {
        if (!columns.contains(column)) {
            return null;
        }
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private String text(String column) throws SQLException {
        return columns.contains(column) ? rs.getString(column) : null;
    }

    private Integer integer(String column) throws SQLException {
        return columns.contains(column) ? rs.getObject(column, Integer.class) : null;
    }

    private Long bigint(String column) throws SQLException {
        return columns.contains(column) ? rs.getObject(column, Long.class) : null;
    }
}
