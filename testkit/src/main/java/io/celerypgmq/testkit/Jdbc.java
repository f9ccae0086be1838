package io.celerypgmq.testkit;

import io.celerypgmq.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Opening connections with credentials kept out of the URL, and a cheap "does it answer" check. */
final class Jdbc {
    private Jdbc() {}

    static Connection open(DatabaseUrl url, int timeoutSeconds) throws SQLException {
        Properties props = new Properties();
        if (url.user() != null) {
            props.setProperty("user", url.user());
        }
        if (url.password() != null) {
            props.setProperty("password", url.password());
        }
        props.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        props.setProperty("ApplicationName", "celery-pgmq-testkit");
        return DriverManager.getConnection(url.jdbcUrl(), props);
    }

    static void checkConnects(DatabaseUrl url) throws SQLException {
        try (Connection c = open(url, 5);
                var st = c.createStatement()) {
            st.execute("SELECT 1");
        }
    }
}
