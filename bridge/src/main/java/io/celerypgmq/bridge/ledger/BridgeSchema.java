package io.celerypgmq.bridge.ledger;

import io.celerypgmq.bridge.store.SchemaScript;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Installs (idempotently) the {@code celery_pgmq} schema: ledger, routes and history, quarantine, flow, instances. */
public final class BridgeSchema {
    public static final String SCHEMA = "celery_pgmq";
    /** Its tables' script, installs serialised across instances starting at once. */
    private static final SchemaScript SCRIPT = new SchemaScript(BridgeSchema.class, "schema.sql", 0x63656c6572795067L);

    private BridgeSchema() {}

    public static void install(DataSource dataSource) {
        try {
            SCRIPT.install(dataSource);
        } catch (SQLException e) {
            throw new LedgerException("installing the " + SCHEMA + " schema", e);
        }
    }
}
