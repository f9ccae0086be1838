package io.celerypgmq.bridge.pgmq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sending, reading, visibility, popping and acknowledging, as pgmq documents them. */
abstract class MessagingContract extends PgmqContract {

    @Test
    void aReadMessageIsHiddenForItsVisibilityTimeoutAndCountsTheRead() {
        QueueName queue = createdQueue();
        long id = client.send(queue, "{\"task\": \"add\"}");
        Instant before = databaseNow();

        PgmqMessage read = client.read(queue, 30, 5).get(0);
        Instant after = databaseNow();

        assertThat(read.msgId()).isEqualTo(id);
        assertThat(read.message()).isEqualTo("{\"task\": \"add\"}");
        assertThat(read.readCt()).isEqualTo(1);
        assertThat(read.vt()).isBetween(before.plusSeconds(30), after.plusSeconds(30));
        assertThat(client.read(queue, 30, 5)).isEmpty();
    }

    @Test
    void aMessageWhoseVisibilityTimeoutRunsOutIsDeliveredAgainWithAHigherReadCount() {
        QueueName queue = createdQueue();
        long id = client.send(queue, "1");
        client.read(queue, 1, 1);
        long start = System.nanoTime();

        List<PgmqMessage> again = client.readWithPoll(queue, 30, 1, Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(500));
        assertThat(again).singleElement().satisfies(m -> {
            assertThat(m.msgId()).isEqualTo(id);
            assertThat(m.readCt()).isEqualTo(2);
        });
    }

    @Test
    void lastReadAtIsSetByReadWherePgmqHasIt() {
        requiresPgmq("1.10");
        QueueName queue = createdQueue();
        client.send(queue, "1");

        PgmqMessage read = client.read(queue, 30, 1).get(0);

        assertThat(read.lastReadAt()).isNotNull();
        assertThat(Duration.between(read.lastReadAt(), read.vt()).toMillis()).isCloseTo(30_000L, within(100L));
    }

    @Test
    void readReturnsOldestFirstAndAtMostTheQuantityAsked() {
        QueueName queue = createdQueue();
        List<Long> ids = client.sendBatch(queue, List.of("1", "2", "3"));

        assertThat(client.read(queue, 30, 2)).extracting(PgmqMessage::msgId).containsExactly(ids.get(0), ids.get(1));
    }

    @Test
    void aConditionalReadOnlyTakesMessagesContainingTheCondition() {
        QueueName queue = createdQueue();
        client.sendBatch(queue, List.of("{\"kind\": \"a\"}", "{\"kind\": \"b\", \"n\": 2}", "{\"kind\": \"a\"}"));

        List<PgmqMessage> read = client.read(queue, 30, 10, "{\"kind\": \"b\"}");

        assertThat(read).extracting(PgmqMessage::message).containsExactly("{\"n\": 2, \"kind\": \"b\"}");
        assertThat(client.metrics(queue).queueVisibleLength()).isEqualTo(2);
    }

    @Test
    void readWithPollReturnsAsSoonAsAMessageArrives() throws Exception {
        QueueName queue = createdQueue();
        Thread sender = new Thread(() -> {
            sleep(Duration.ofMillis(400));
            client.send(queue, "{\"late\": true}");
        });
        long start = System.nanoTime();
        sender.start();

        List<PgmqMessage> read = client.readWithPoll(queue, 30, 1, Duration.ofSeconds(10), Duration.ofMillis(50), null);

        sender.join();
        assertThat(read).extracting(PgmqMessage::message).containsExactly("{\"late\": true}");
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(300), Duration.ofSeconds(5));
    }

    @Test
    void readWithPollGivesUpEmptyAfterTheMaximumWait() {
        QueueName queue = createdQueue();
        long start = System.nanoTime();

        assertThat(client.readWithPoll(queue, 30, 1, Duration.ofSeconds(1))).isEmpty();

        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(Duration.ofMillis(900), Duration.ofSeconds(4));
    }

    @Test
    void popTakesAndDeletesWithoutCountingARead() {
        QueueName queue = createdQueue();
        List<Long> ids = client.sendBatch(queue, List.of("1", "2"));

        assertThat(client.pop(queue)).hasValueSatisfying(m -> {
            assertThat(m.msgId()).isEqualTo(ids.get(0));
            assertThat(m.readCt()).isZero();
        });
        assertThat(client.metrics(queue).queueLength()).isEqualTo(1);
        assertThat(queryValue(Long.class, "SELECT count(*) FROM pgmq.\"a_" + queue + "\""))
                .isZero();
    }

    @Test
    void popTakesSeveralMessagesAtOnce() {
        requiresPgmq("1.7");
        QueueName queue = createdQueue();
        List<Long> ids = client.sendBatch(queue, List.of("1", "2", "3"));

        assertThat(client.pop(queue, 5)).extracting(PgmqMessage::msgId).containsExactlyElementsOf(ids);
        assertThat(client.pop(queue)).isEmpty();
    }

    @Test
    void anIntegerDelayHidesTheMessageForThatManySeconds() {
        QueueName queue = createdQueue();
        Instant before = databaseNow();

        long id = client.send(queue, "1", Delay.seconds(60));

        assertThat(client.read(queue, 30, 1)).isEmpty();
        assertThat(vtOf(queue, id))
                .isBetween(before.plusSeconds(60), databaseNow().plusSeconds(60));
    }

    @Test
    void aTimestampDelayMakesTheMessageVisibleExactlyThen() {
        QueueName queue = createdQueue();
        Instant at = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MICROS);

        long id = client.send(queue, "1", Delay.until(at));

        assertThat(vtOf(queue, id)).isEqualTo(at);
        assertThat(client.read(queue, 30, 1)).isEmpty();
    }

    @Test
    void aTimestampInThePastIsVisibleAtOnce() {
        QueueName queue = createdQueue();

        long id = client.send(queue, "1", Delay.until(Instant.now().minus(Duration.ofHours(1))));

        assertThat(client.read(queue, 30, 1)).extracting(PgmqMessage::msgId).containsExactly(id);
    }

    @Test
    void headersRoundTripWithEveryDelayForm() {
        QueueName queue = createdQueue();
        String headers = "{\"x-celery-id\": \"42\", \"retries\": 3}";
        Instant past = Instant.now().minusSeconds(5);

        long plain = client.send(queue, "1", headers);
        long delayed = client.send(queue, "2", headers, Delay.seconds(0));
        long until = client.send(queue, "3", headers, Delay.until(past));

        assertThat(client.read(queue, 30, 10))
                .allSatisfy(m -> assertThat(m.headers()).isEqualTo("{\"retries\": 3, \"x-celery-id\": \"42\"}"))
                .extracting(PgmqMessage::msgId)
                .containsExactly(plain, delayed, until);
    }

    @Test
    void aMessageWithoutHeadersHasNullHeadersAndANullMessageIsAllowed() {
        QueueName queue = createdQueue();
        client.send(queue, null);

        assertThat(client.read(queue, 30, 1)).singleElement().satisfies(m -> {
            assertThat(m.message()).isNull();
            assertThat(m.headers()).isNull();
        });
    }

    @Test
    void sendingToAQueueThatDoesNotExistNamesTheQueue() {
        QueueName missing = unusedQueue();

        assertThatThrownBy(() -> client.send(missing, "1"))
                .isInstanceOfSatisfying(QueueNotFoundException.class, e -> {
                    assertThat(e.queue()).isEqualTo(missing.value());
                    assertThat(e.operation()).isEqualTo("send");
                    assertThat(e.sqlState()).isEqualTo("42P01");
                })
                .hasMessageContaining(missing.value());
    }

    @Test
    void invalidJsonIsRefusedAndNothingIsSent() {
        QueueName queue = createdQueue();

        assertThatThrownBy(() -> client.send(queue, "{not json")).isInstanceOf(PgmqException.class);
        assertThat(client.metrics(queue).totalMessages()).isZero();
    }

    private Instant vtOf(QueueName queue, long id) {
        return queryValue(OffsetDateTime.class, "SELECT vt FROM pgmq.\"q_" + queue + "\" WHERE msg_id = ?", id)
                .toInstant();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
