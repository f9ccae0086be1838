package io.celerypgmq.bridge.pgmq;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class FailuresTest {
    private static final QueueName QUEUE = QueueName.of("celery");

    @Test
    void aMissingTableBecomesQueueNotFoundNamingQueueAndOperation() {
        PgmqException e = Failures.wrap(
                new SQLException("relation \"pgmq.q_celery\" does not exist", "42P01"), PgmqCall.SEND, QUEUE);

        assertThat(e).isInstanceOf(QueueNotFoundException.class);
        assertThat(e.getMessage()).startsWith("pgmq send on queue 'celery' failed: queue does not exist");
        assertThat(e.queue()).isEqualTo("celery");
        assertThat(e.sqlState()).isEqualTo("42P01");
    }

    @Test
    void aMissingPgmqFunctionNamesTheReleaseThatAddedIt() {
        PgmqException e = Failures.wrap(
                new SQLException("function pgmq.set_vt(text, bigint[], integer) does not exist", "42883"),
                PgmqCall.SET_VT_MANY,
                QUEUE);

        assertThat(e).isInstanceOf(PgmqVersionException.class);
        assertThat(e.getMessage()).contains("needs pgmq >= 1.8");
    }

    @Test
    void passwordsInDriverMessagesAreMasked() {
        PgmqException e = Failures.wrap(
                new SQLException("cannot reach postgresql://bridge:hunter2@db:5432/app", "08001"), "send", QUEUE);

        assertThat(e.getMessage()).doesNotContain("hunter2").contains("postgresql://****@db:5432/app");
    }
}
