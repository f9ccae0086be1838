package io.celerypgmq.bridge.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** send_batch in every overload, its validation, and the overload ambiguity clients must avoid. */
abstract class BatchContract extends PgmqContract {

    @Test
    void aBatchReturnsIdsInMessageOrderAndReadsBackInThatOrder() {
        QueueName queue = createdQueue();
        List<String> messages =
                IntStream.range(0, 50).mapToObj(i -> "{\"i\": " + i + "}").toList();

        List<Long> ids = client.sendBatch(queue, messages);

        assertThat(ids).hasSize(50).isSorted().doesNotHaveDuplicates();
        List<PgmqMessage> read = client.read(queue, 30, 100);
        assertThat(read).extracting(PgmqMessage::msgId).containsExactlyElementsOf(ids);
        assertThat(read).extracting(PgmqMessage::message).containsExactlyElementsOf(messages);
    }

    @Test
    void batchHeadersBelongToTheirMessagesIncludingNullOnes() {
        QueueName queue = createdQueue();
        List<String> headers = Arrays.asList("{\"h\": 1}", null, "{\"h\": 3}");

        List<Long> ids = client.sendBatch(queue, List.of("1", "2", "3"), headers);

        assertThat(client.read(queue, 30, 10))
                .extracting(PgmqMessage::msgId, PgmqMessage::headers)
                .containsExactly(
                        tuple(ids.get(0), "{\"h\": 1}"), tuple(ids.get(1), null), tuple(ids.get(2), "{\"h\": 3}"));
    }

    @Test
    void aBatchWithAnIntegerDelayIsHiddenForThatLong() {
        QueueName queue = createdQueue();
        Instant before = databaseNow();

        List<Long> ids = client.sendBatch(queue, List.of("1", "2"), Delay.seconds(90));

        assertThat(client.read(queue, 30, 10)).isEmpty();
        assertThat(vtOf(queue, ids.get(1)))
                .isBetween(before.plusSeconds(90), databaseNow().plusSeconds(90));
    }

    @Test
    void aBatchWithATimestampDelayBecomesVisibleThen() {
        QueueName queue = createdQueue();
        Instant at = Instant.now().plusSeconds(7200).truncatedTo(ChronoUnit.MICROS);

        List<Long> ids = client.sendBatch(queue, List.of("1", "2"), Delay.until(at));

        assertThat(vtOf(queue, ids.get(0))).isEqualTo(at);
        assertThat(vtOf(queue, ids.get(1))).isEqualTo(at);
    }

    @Test
    void aBatchWithHeadersAndEitherDelayKeepsBoth() {
        QueueName queue = createdQueue();
        Instant past = Instant.now().minusSeconds(30).truncatedTo(ChronoUnit.MICROS);

        List<Long> seconds = client.sendBatch(queue, List.of("1"), List.of("{\"d\": \"s\"}"), Delay.seconds(0));
        List<Long> until = client.sendBatch(queue, List.of("2"), List.of("{\"d\": \"t\"}"), Delay.until(past));

        assertThat(vtOf(queue, until.get(0))).isEqualTo(past);
        assertThat(client.read(queue, 30, 10))
                .extracting(PgmqMessage::msgId, PgmqMessage::headers)
                .containsExactly(tuple(seconds.get(0), "{\"d\": \"s\"}"), tuple(until.get(0), "{\"d\": \"t\"}"));
    }

    @Test
    void theClientRefusesAnEmptyBatchOrMismatchedHeadersBeforeAnySql() {
        QueueName queue = createdQueue();

        assertThatThrownBy(() -> client.sendBatch(queue, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.sendBatch(queue, List.of("1", "2"), List.of("{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 headers for 2 messages");
        assertThat(client.metrics(queue).totalMessages()).isZero();
    }

    @Test
    void pgmqRefusesAnEmptyBatchAndMismatchedHeaders() {
        requiresPgmq("1.11");
        QueueName queue = createdQueue();

        assertThat(sqlError("SELECT pgmq.send_batch(?::text, ARRAY[]::jsonb[])", queue.value())
                        .getMessage())
                .contains("msgs cannot be NULL or empty");
        assertThat(sqlError(
                                "SELECT pgmq.send_batch(?::text, ARRAY['1', '2']::jsonb[], ARRAY['{}']::jsonb[])",
                                queue.value())
                        .getMessage())
                .contains("headers");
        assertThat(client.metrics(queue).totalMessages()).isZero();
    }

    @Test
    void untypedCallsAreAmbiguousSoTheClientMustCastEveryArgument() {
        QueueName queue = createdQueue();

        SQLException send = sqlError("SELECT pgmq.send(?, '{\"a\": 1}', '{\"b\": 2}')", queue.value());
        SQLException batch = sqlError("SELECT pgmq.send_batch(?, ARRAY['1']::jsonb[], NULL)", queue.value());

        assertThat(send.getSQLState()).isEqualTo("42725");
        assertThat(send.getMessage()).contains("is not unique");
        assertThat(batch.getSQLState()).isEqualTo("42725");
        assertThat(client.metrics(queue).totalMessages()).isZero();
    }

    private Instant vtOf(QueueName queue, long id) {
        return queryValue(OffsetDateTime.class, "SELECT vt FROM pgmq.\"q_" + queue + "\" WHERE msg_id = ?", id)
                .toInstant();
    }
}
