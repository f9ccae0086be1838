package io.celerypgmq.replay;

import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.store.SchemaScript;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Installs (idempotently) the bridge's schema and replay's own tables: job checkpoints and the redrive log. */
public final class ReplaySchema {
    /** Its tables' script, installs serialised across instances starting at once. */
    private static final SchemaScript SCRIPT = new SchemaScript(ReplaySchema.class, "schema.sql", 0x7265706c61795367L);

    private ReplaySchema() {}

    public static void install(DataSource db) {
        BridgeSchema.install(db);
        try {
            SCRIPT.install(db);
        } catch (SQLException e) {
            throw new ReplayStoreException("installing the replay tables", e);
        }
    }
}
