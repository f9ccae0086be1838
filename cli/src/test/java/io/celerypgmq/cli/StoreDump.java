package io.celerypgmq.cli;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Everything two stores hold, as text to compare byte for byte: every Redis key with its type, TTL and DUMP
 * serialisation (which covers list order, hash fields and zset scores); every row of every table and every sequence
 * position in the {@code pgmq} and {@code celery_pgmq} schemas, and which relations exist at all.
 */
final class StoreDump {
    private StoreDump() {}

    static Map<String, String> redis(JedisPooled redis) {
        Map<String, String> out = new TreeMap<>();
        String cursor = ScanParams.SCAN_POINTER_START;
        do {
            ScanResult<byte[]> page = redis.scan(cursor.getBytes(StandardCharsets.UTF_8), new ScanParams().count(500));
            for (byte[] key : page.getResult()) {
                String name = HexFormat.of().formatHex(key);
                out.put(
                        name,
                        redis.type(key) + " ttl=" + redis.pttl(key) + " "
                                + HexFormat.of().formatHex(redis.dump(key)));
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return out;
    }

    static Map<String, List<String>> postgres(DataSource db) throws SQLException {
        Map<String, List<String>> out = new TreeMap<>();
        try (Connection c = db.getConnection();
                Statement s = c.createStatement()) {
            List<String[]> relations = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("SELECT n.nspname, c.relname, c.relkind FROM pg_class c JOIN"
                    + " pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname IN ('pgmq', 'celery_pgmq')"
                    + " ORDER BY 1, 2")) {
                while (rs.next()) {
                    relations.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
                }
            }
            out.put(
                    "relations",
                    relations.stream().map(r -> String.join(".", r)).toList());
            for (String[] r : relations) {
                String name = "\"" + r[0] + "\".\"" + r[1] + "\"";
                String sql =
                        switch (r[2]) {
                            case "r", "p" -> "SELECT t::text FROM " + name + " t ORDER BY 1";
                            case "S" -> "SELECT last_value || ':' || is_called FROM " + name;
                            default -> null;
                        };
                if (sql != null) {
                    List<String> rows = new ArrayList<>();
                    try (ResultSet rs = s.executeQuery(sql)) {
                        while (rs.next()) {
                            rows.add(rs.getString(1));
                        }
                    }
                    out.put(name, rows);
                }
            }
        }
        return out;
    }
}
