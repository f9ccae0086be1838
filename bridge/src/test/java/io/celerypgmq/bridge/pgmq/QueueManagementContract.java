package io.celerypgmq.bridge.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Creating, listing, measuring, purging and dropping queues, and pgmq's own queue-name rules. */
abstract class QueueManagementContract extends PgmqContract {

    @Test
    void aCreatedQueueIsListedWithItsTablesAndIndexes() {
        QueueName queue = createdQueue();

        assertThat(client.listQueues())
                .filteredOn(q -> q.queueName().equals(queue.value()))
                .singleElement()
                .satisfies(q -> {
                    assertThat(q.partitioned()).isFalse();
                    assertThat(q.unlogged()).isFalse();
                    assertThat(q.createdAt()).isNotNull();
                });
        assertThat(queryValue(
                        String.class,
                        "SELECT string_agg(indexname, ',' ORDER BY indexname) FROM pg_indexes"
                                + " WHERE schemaname = 'pgmq' AND tablename IN (?, ?)",
                        queue.queueTable(),
                        queue.archiveTable()))
                .isEqualTo("a_" + queue + "_pkey,archived_at_idx_" + queue + ",q_" + queue + "_pkey,q_" + queue
                        + "_vt_idx");
    }

    @Test
    void queueTablesHaveThePgmqColumnsInPgmqOrder() {
        QueueName queue = createdQueue();
        String columns = "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns"
                + " WHERE table_schema = 'pgmq' AND table_name = ?";
        // pgmq 1.10 added last_read_at; the client maps by name so both layouts work.
        String lastReadAt = pgmqAtLeast("1.10") ? "last_read_at," : "";

        assertThat(queryValue(String.class, columns, queue.queueTable()))
                .isEqualTo("msg_id,read_ct,enqueued_at," + lastReadAt + "vt,message,headers");
        assertThat(queryValue(String.class, columns, queue.archiveTable()))
                .isEqualTo("msg_id,read_ct,enqueued_at," + lastReadAt + "archived_at,vt,message,headers");
    }

    @Test
    void creatingAQueueTwiceKeepsOneQueueAndItsMessages() {
        QueueName queue = createdQueue();
        client.send(queue, "{\"n\": 1}");

        client.create(queue);

        assertThat(client.listQueues())
                .filteredOn(q -> q.queueName().equals(queue.value()))
                .hasSize(1);
        assertThat(client.metrics(queue).queueLength()).isEqualTo(1);
    }

    @Test
    void anUnloggedQueueHasAnUnloggedQueueTableAndALoggedArchive() {
        QueueName queue = unusedQueue();

        client.createUnlogged(queue);

        assertThat(client.listQueues())
                .filteredOn(q -> q.queueName().equals(queue.value()))
                .singleElement()
                .satisfies(q -> assertThat(q.unlogged()).isTrue());
        String persistence = "SELECT relpersistence::text FROM pg_class WHERE oid = to_regclass(format('pgmq.%I', ?))";
        assertThat(queryValue(String.class, persistence, queue.queueTable())).isEqualTo("u");
        assertThat(queryValue(String.class, persistence, queue.archiveTable())).isEqualTo("p");
    }

    @Test
    void mixedCaseNamesAreNormalisedSoOneQueueHasOneMetaRow() {
        QueueName upper = QueueName.of("Contract_MixedCase");
        client.create(upper);
        client.create(QueueName.of("contract_mixedcase"));

        long id = client.send(QueueName.of("CONTRACT_MIXEDCASE"), "{\"n\": 1}");

        assertThat(client.listQueues())
                .extracting(QueueInfo::queueName)
                .contains("contract_mixedcase")
                .doesNotContain("Contract_MixedCase");
        assertThat(client.read(QueueName.of("contract_mixedcase"), 30, 1))
                .extracting(PgmqMessage::msgId)
                .containsExactly(id);
    }

    @Test
    void droppingAQueueRemovesBothTablesAndItsListing() {
        QueueName queue = createdQueue();

        assertThat(client.dropQueue(queue)).isTrue();

        assertThat(client.listQueues()).extracting(QueueInfo::queueName).doesNotContain(queue.value());
        assertThat(queryValue(Boolean.class, "SELECT to_regclass(format('pgmq.%I', ?)) IS NULL", queue.queueTable()))
                .isTrue();
        assertThat(queryValue(Boolean.class, "SELECT to_regclass(format('pgmq.%I', ?)) IS NULL", queue.archiveTable()))
                .isTrue();
    }

    @Test
    void droppingAQueueThatDoesNotExistReturnsFalse() {
        assertThat(client.dropQueue(unusedQueue())).isFalse();
    }

    @Test
    void purgingEmptiesTheQueueButNotTheArchive() {
        QueueName queue = createdQueue();
        List<Long> ids = client.sendBatch(queue, List.of("1", "2", "3"));
        client.archive(queue, ids.get(0));

        assertThat(client.purgeQueue(queue)).isEqualTo(2);

        assertThat(client.metrics(queue).queueLength()).isZero();
        assertThat(queryValue(Long.class, "SELECT count(*) FROM pgmq.\"a_" + queue + "\""))
                .isEqualTo(1);
    }

    @Test
    void metricsCountQueuedVisibleAndEverSentMessages() {
        QueueName queue = createdQueue();
        List<Long> ids = client.sendBatch(queue, List.of("1", "2", "3"));
        client.read(queue, 30, 1);
        client.archive(queue, ids.get(2));

        QueueMetrics metrics = client.metrics(queue);

        assertThat(metrics.queueName()).isEqualTo(queue.value());
        assertThat(metrics.queueLength()).isEqualTo(2);
        assertThat(metrics.queueVisibleLength()).isEqualTo(1);
        assertThat(metrics.totalMessages()).isEqualTo(3);
        assertThat(metrics.oldestMsgAgeSec()).isBetween(0, 5);
        assertThat(metrics.newestMsgAgeSec()).isBetween(0, 5);
        assertThat(metrics.scrapeTime()).isNotNull();
    }

    @Test
    void metricsOfAQueueNeverSentToAreZeroWithoutAges() {
        QueueName queue = createdQueue();

        QueueMetrics metrics = client.metrics(queue);

        assertThat(metrics.queueLength()).isZero();
        assertThat(metrics.totalMessages()).isZero();
        assertThat(metrics.oldestMsgAgeSec()).isNull();
        assertThat(metrics.newestMsgAgeSec()).isNull();
    }

    @Test
    void metricsAllReportsEveryQueue() {
        QueueName queue = createdQueue();
        client.send(queue, "1");

        assertThat(client.metricsAll())
                .filteredOn(m -> m.queueName().equals(queue.value()))
                .singleElement()
                .satisfies(m -> assertThat(m.queueLength()).isEqualTo(1));
    }

    @Test
    void fortySevenCharactersAreAcceptedAndFortyEightRefusedByPgmqItself() {
        String ok = "n".repeat(47);

        assertThatThrownBy(() -> client.create(QueueName.of(ok + "n"))).isInstanceOf(InvalidQueueNameException.class);
        // Before 1.6 pgmq's message said 48 although 48 characters were already refused.
        String limit = pgmqAtLeast("1.6") ? "47" : "48";
        assertThat(sqlError("SELECT pgmq.create(?)", ok + "n").getMessage())
                .contains("queue name is too long, maximum length is " + limit + " characters");
        client.create(QueueName.of(ok));
        assertThat(client.listQueues()).extracting(QueueInfo::queueName).contains(ok);
    }

    @Test
    void pgmqRefusesQueueNamesThatCouldEscapeQuoting() {
        for (String bad : List.of("a$b", "a;b", "a--b", "a'b")) {
            assertThatThrownBy(() -> QueueName.of(bad)).isInstanceOf(InvalidQueueNameException.class);
            assertThat(sqlError("SELECT pgmq.create(?)", bad).getMessage())
                    .contains("queue name contains invalid characters: $, ;, --, or \\'");
        }
    }

    @Test
    void hyphensAndDotsAreValidQueueNames() {
        QueueName queue = QueueName.of("contract_tasks.high-priority");
        client.create(queue);

        long id = client.send(queue, "1");

        assertThat(client.pop(queue))
                .hasValueSatisfying(m -> assertThat(m.msgId()).isEqualTo(id));
    }

    /** pgmq takes a name with a space; most of its clients cannot name it, so celery-pgmq's rule refuses it. */
    @Test
    void aNameWithASpaceIsRefusedBeforeAnySql() {
        assertThatThrownBy(() -> client.create(QueueName.of("contract tasks")))
                .isInstanceOf(InvalidQueueNameException.class)
                .hasMessageContaining("white space");
    }
}
