package io.celerypgmq.bridge.pgmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** pgmq calls on the caller's connection join the caller's transaction: the bridge's ledger depends on it. */
abstract class TransactionContract extends PgmqContract {

    @BeforeAll
    void createLedgerStandIn() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS contract_ledger (identity text PRIMARY KEY, msg_id bigint)");
        }
    }

    @Test
    void aBatchSentInTheCallersTransactionIsInvisibleUntilCommit() throws SQLException {
        QueueName queue = createdQueue();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            List<Long> ids = client.in(c).sendBatch(queue, List.of("1", "2"));

            assertThat(ids).hasSize(2);
            assertThat(client.read(queue, 30, 10)).isEmpty();
            c.commit();
        }
        assertThat(client.read(queue, 30, 10)).hasSize(2);
    }

    @Test
    void aLedgerInsertAndASendBatchRollBackTogether() throws SQLException {
        QueueName queue = createdQueue();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            long id =
                    client.in(c).sendBatch(queue, List.of("{\"task\": \"t\"}")).get(0);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO contract_ledger VALUES (?, ?)")) {
                insert.setString(1, queue + "-identity");
                insert.setLong(2, id);
                insert.executeUpdate();
            }
            c.rollback();
            assertThat(c.isClosed()).isFalse();
            assertThat(c.getAutoCommit()).isFalse();
        }

        assertThat(client.read(queue, 30, 10)).isEmpty();
        assertThat(queryValue(
                        Long.class, "SELECT count(*) FROM contract_ledger WHERE identity = ?", queue + "-identity"))
                .isZero();
    }

    @Test
    void aReadAndArchiveThatRollBackLeaveTheMessageUnread() throws SQLException {
        QueueName queue = createdQueue();
        long id = client.send(queue, "1");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            PgmqOperations tx = client.in(c);
            assertThat(tx.read(queue, 300, 1)).extracting(PgmqMessage::msgId).containsExactly(id);
            assertThat(tx.archive(queue, id)).isTrue();
            c.rollback();
        }

        assertThat(client.read(queue, 30, 1)).singleElement().satisfies(m -> {
            assertThat(m.msgId()).isEqualTo(id);
            assertThat(m.readCt()).isEqualTo(1);
        });
    }

    @Test
    void aMessageLockedByAnOpenTransactionIsSkippedByOtherReaders() throws SQLException {
        QueueName queue = createdQueue();
        List<Long> ids = client.sendBatch(queue, List.of("1", "2"));
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            assertThat(client.in(c).read(queue, 0, 1))
                    .extracting(PgmqMessage::msgId)
                    .containsExactly(ids.get(0));

            // vt 0 keeps the first message visible, yet its row lock makes a concurrent reader take the second.
            assertThat(client.read(queue, 30, 2)).extracting(PgmqMessage::msgId).containsExactly(ids.get(1));
            c.rollback();
        }
    }
}
