package io.celerypgmq.replay;

import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pgmq.QueueName;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Records, in the moving transaction, where pgmq messages went (the redrive log); a rollback keeps none. */
interface MoveLog {
    MoveLog NONE = (tx, from, moved, targets) -> {};

    void record(Connection tx, QueueName from, List<PgmqMessage> moved, List<String> targets) throws SQLException;
}
