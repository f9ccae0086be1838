package io.celerypgmq.testkit;

import io.celerypgmq.config.DatabaseUrl;
import java.util.Objects;

/** A Postgres server for tests, reached through an admin login that may create databases. */
record PostgresServer(DatabaseUrl adminUrl, String description) {
    PostgresServer {
        Objects.requireNonNull(adminUrl, "adminUrl");
        Objects.requireNonNull(description, "description");
    }

    @Override
    public String toString() {
        return description + " at " + adminUrl.masked();
    }
}
