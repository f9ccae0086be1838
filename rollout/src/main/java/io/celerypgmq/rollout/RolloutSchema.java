package io.celerypgmq.rollout;

import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.bridge.status.CensusStore;
import io.celerypgmq.bridge.store.SchemaScript;
import java.sql.SQLException;
import javax.sql.DataSource;

/** Installs (idempotently) the bridge's schema, the Redis census table and the rollout tables. */
public final class RolloutSchema {
    /** Its tables' script, installs serialised across instances starting at once. */
    private static final SchemaScript SCRIPT =
            new SchemaScript(RolloutSchema.class, "rollout-schema.sql", 0x726f6c6c6f757453L);

    private RolloutSchema() {}

    public static void install(DataSource db) {
        BridgeSchema.install(db);
        new CensusStore(db).install();
        try {
            SCRIPT.install(db);
        } catch (SQLException e) {
            throw new RolloutStoreException("installing the rollout tables", e);
        }
    }
}
