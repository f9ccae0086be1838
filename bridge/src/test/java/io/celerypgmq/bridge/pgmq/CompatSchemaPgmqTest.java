package io.celerypgmq.bridge.pgmq;

import io.celerypgmq.testkit.TestPostgres;
import org.junit.jupiter.api.Nested;

/** The pgmq contract on celery-pgmq's compatible schema: runs everywhere, whatever CELERY_PGMQ_TEST_PGMQ says. */
class CompatSchemaPgmqTest {

    @Nested
    class Queues extends QueueManagementContract {
        @Override
        PgmqStatus install(TestPostgres pg) {
            return PgmqTargets.compat(pg);
        }
    }

    @Nested
    class Messaging extends MessagingContract {
        @Override
        PgmqStatus install(TestPostgres pg) {
            return PgmqTargets.compat(pg);
        }
    }

    @Nested
    class Acknowledging extends AcknowledgingContract {
        @Override
        PgmqStatus install(TestPostgres pg) {
            return PgmqTargets.compat(pg);
        }
    }

    @Nested
    class Batches extends BatchContract {
        @Override
        PgmqStatus install(TestPostgres pg) {
            return PgmqTargets.compat(pg);
        }
    }

    @Nested
    class Transactions extends TransactionContract {
        @Override
        PgmqStatus install(TestPostgres pg) {
            return PgmqTargets.compat(pg);
        }
    }
}
