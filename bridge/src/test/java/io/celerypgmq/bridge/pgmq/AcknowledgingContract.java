package io.celerypgmq.bridge.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Archive, delete and set_vt, single and batch. */
abstract class AcknowledgingContract extends PgmqContract {

    @Test
    void archivingMovesTheMessageWithItsHistoryAndAnArchiveTime() {
        QueueName queue = createdQueue();
        long id = client.send(queue, "{\"n\": 1}", "{\"h\": 1}");
        PgmqMessage read = client.read(queue, 30, 1).get(0);
        Instant before = databaseNow();

        assertThat(client.archive(queue, id)).isTrue();

        assertThat(client.metrics(queue).queueLength()).isZero();
        String archived = "SELECT %s FROM pgmq.\"a_" + queue + "\" WHERE msg_id = ?";
        assertThat(queryValue(Integer.class, archived.formatted("read_ct"), id)).isEqualTo(1);
        assertThat(queryValue(String.class, archived.formatted("message::text"), id))
                .isEqualTo("{\"n\": 1}");
        assertThat(queryValue(String.class, archived.formatted("headers::text"), id))
                .isEqualTo("{\"h\": 1}");
        assertThat(queryValue(OffsetDateTime.class, archived.formatted("vt"), id)
                        .toInstant())
                .isEqualTo(read.vt());
        assertThat(queryValue(OffsetDateTime.class, archived.formatted("archived_at"), id)
                        .toInstant())
                .isBetween(before.minusSeconds(1), databaseNow());
    }

    @Test
    void archivingAMessageThatIsNotThereReturnsFalse() {
        QueueName queue = createdQueue();
        long id = client.send(queue, "1");
        client.archive(queue, id);

        assertThat(client.archive(queue, id)).isFalse();
        assertThat(client.archive(queue, 999_999L)).isFalse();
    }

    @Test
    void archivingManyReturnsOnlyTheIdsThatWereThereEvenIfInvisible() {
        QueueName queue = createdQueue();
        List<Long> ids = client.sendBatch(queue, List.of("1", "2", "3"), Delay.seconds(300));

        List<Long> archived = client.archive(queue, List.of(ids.get(2), 999_999L, ids.get(0)));

        assertThat(archived).containsExactly(ids.get(0), ids.get(2));
        assertThat(client.metrics(queue).queueLength()).isEqualTo(1);
    }

    @Test
    void deletingRemovesTheMessageWithoutArchivingIt() {
        QueueName queue = createdQueue();
        long id = client.send(queue, "1");

        assertThat(client.delete(queue, id)).isTrue();
        assertThat(client.delete(queue, id)).isFalse();

        assertThat(client.metrics(queue).queueLength()).isZero();
        assertThat(queryValue(Long.class, "SELECT count(*) FROM pgmq.\"a_" + queue + "\""))
                .isZero();
    }

    @Test
    void deletingManyReturnsTheIdsActuallyDeleted() {
        QueueName queue = createdQueue();
        List<Long> ids = client.sendBatch(queue, List.of("1", "2", "3"));

        assertThat(client.delete(queue, List.of(ids.get(1), 999_999L))).containsExactly(ids.get(1));
        assertThat(client.read(queue, 30, 10)).extracting(PgmqMessage::msgId).containsExactly(ids.get(0), ids.get(2));
    }

    @Test
    void setVtInSecondsMakesAReadMessageVisibleAgainWithoutCountingARead() {
        QueueName queue = createdQueue();
        long id = client.send(queue, "1");
        client.read(queue, 300, 1);

        assertThat(client.setVt(queue, id, 0))
                .hasValueSatisfying(m -> assertThat(m.readCt()).isEqualTo(1));

        assertThat(client.read(queue, 30, 1)).singleElement().satisfies(m -> assertThat(m.readCt())
                .isEqualTo(2));
    }

    @Test
    void setVtInSecondsCountsFromNow() {
        QueueName queue = createdQueue();
        long id = client.send(queue, "1");
        Instant before = databaseNow();

        PgmqMessage changed = client.setVt(queue, id, 120).orElseThrow();

        assertThat(changed.vt())
                .isBetween(before.plusSeconds(120), databaseNow().plusSeconds(120));
        assertThat(client.read(queue, 30, 1)).isEmpty();
    }

    @Test
    void setVtOfAnUnknownMessageChangesNothing() {
        QueueName queue = createdQueue();

        assertThat(client.setVt(queue, 999_999L, 10)).isEmpty();
    }

    @Test
    void setVtToAnInstantSetsExactlyThatTime() {
        requiresPgmq("1.10");
        QueueName queue = createdQueue();
        long id = client.send(queue, "1");
        Instant at = Instant.now().plusSeconds(3600).truncatedTo(ChronoUnit.MICROS);

        assertThat(client.setVt(queue, id, at))
                .hasValueSatisfying(m -> assertThat(m.vt()).isEqualTo(at));
        assertThat(client.read(queue, 30, 1)).isEmpty();
    }

    @Test
    void setVtOfManyInSecondsReturnsTheRowsThatExist() {
        requiresPgmq("1.8");
        QueueName queue = createdQueue();
        List<Long> ids = client.sendBatch(queue, List.of("1", "2", "3"));

        List<PgmqMessage> changed = client.setVt(queue, List.of(ids.get(0), ids.get(2), 999_999L), 300);

        assertThat(changed).extracting(PgmqMessage::msgId).containsExactly(ids.get(0), ids.get(2));
        assertThat(client.read(queue, 30, 10)).extracting(PgmqMessage::msgId).containsExactly(ids.get(1));
    }

    @Test
    void setVtOfManyToAnInstantSetsThatTimeOnEach() {
        requiresPgmq("1.10");
        QueueName queue = createdQueue();
        List<Long> ids = client.sendBatch(queue, List.of("1", "2"), Delay.seconds(300));
        Instant past = Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MICROS);

        List<PgmqMessage> changed = client.setVt(queue, ids, past);

        assertThat(changed).extracting(PgmqMessage::vt).containsExactly(past, past);
        assertThat(client.read(queue, 30, 10)).extracting(PgmqMessage::msgId).containsExactlyElementsOf(ids);
    }

    @Test
    void aCallThisPgmqIsTooOldForNamesTheReleaseItNeeds() {
        QueueName queue = createdQueue();
        long id = client.send(queue, "1");

        if (pgmqAtLeast("1.8")) {
            assertThat(client.setVt(queue, List.of(id), 10)).hasSize(1);
        } else {
            assertThatThrownBy(() -> client.setVt(queue, List.of(id), 10))
                    .isInstanceOf(PgmqVersionException.class)
                    .hasMessageContaining("needs pgmq >= 1.8");
        }
    }
}
