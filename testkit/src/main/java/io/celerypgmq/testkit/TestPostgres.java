package io.celerypgmq.testkit;

import io.celerypgmq.config.DatabaseUrl;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** A fresh database for one test class, dropped after it. Resolve it as a parameter under {@link RealBackends}. */
public final class TestPostgres {
    private final DatabaseUrl url;
    private final String databaseName;
    private final String backend;

    TestPostgres(DatabaseUrl url, String databaseName, String backend) {
        this.url = Objects.requireNonNull(url, "url");
        this.databaseName = Objects.requireNonNull(databaseName, "databaseName");
        this.backend = Objects.requireNonNull(backend, "backend");
    }

    /** JDBC URL of this class's database, with the credentials kept apart. */
    public DatabaseUrl url() {
        return url;
    }

    public String jdbcUrl() {
        return url.jdbcUrl();
    }

    public String databaseName() {
        return databaseName;
    }

    /** A new connection the caller closes. */
    public Connection connect() {
        try {
            return Jdbc.open(url, 10);
        } catch (SQLException e) {
            throw new TestBackendException("cannot connect to test database " + url.masked(), e);
        }
    }

    /** An unpooled DataSource over {@link #url()}. */
    public DataSource dataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url.jdbcUrl());
        if (url.user() != null) {
            ds.setUser(url.user());
        }
        if (url.password() != null) {
            ds.setPassword(url.password());
        }
        ds.setApplicationName("celery-pgmq-testkit");
        return ds;
    }

    /** Where the server comes from, e.g. {@code local 127.0.0.1:5432} or {@code embedded postgres 15.10.0}. */
    public String backend() {
        return backend;
    }

    /** Whether {@code CREATE EXTENSION pgmq} can work here (the server lists pgmq as available). */
    public boolean pgmqExtensionAvailable() {
        try (Connection c = connect();
                Statement st = c.createStatement();
                ResultSet rs =
                        st.executeQuery("SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pgmq')")) {
            rs.next();
            return rs.getBoolean(1);
        } catch (SQLException e) {
            throw new TestBackendException("cannot list available extensions on " + url.masked(), e);
        }
    }

    @Override
    public String toString() {
        return "TestPostgres[" + databaseName + " on " + backend + "]";
    }
}
