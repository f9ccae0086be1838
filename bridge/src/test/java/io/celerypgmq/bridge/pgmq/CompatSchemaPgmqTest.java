package io.celerypgmq.bridge.pgmq;

import io.celerypgmq.testkit.TestPostgres;
import org.junit.jupiter.api.Nested;

/** The pgmq contract on celery-pgmq's compatible schema: runs everywhere, whatever CELERY_PGMQ_TEST_PGMQ says. */
class CompatSchemaPgmqTest {

    @Nested
    class Queues extends QueueManagementContract {
        @Override
        PgmqTargets.Target install(TestPostgres pg) {
            return PgmqTargets.compat(pg);
        }
    }

    @Nested
    class Messaging extends MessagingContract {
        @Override
        PgmqTargets.Target install(TestPostgres pg) {
            return PgmqTargets.compat(pg);
        }
    }

    @Nested
    class Acknowledging extends AcknowledgingContract {
        @Override
        PgmqTargets.Target install(TestPostgres pg) {
            return PgmqTargets.compat(pg);
        }
    }

    @Nested
    class Batches extends BatchContract {
        @Override
        PgmqTargets.Target install(TestPostgres pg) {
            return PgmqTargets.compat(pg);
        }
    }

    @Nested
    class Transactions extends TransactionContract {
        @Override
        PgmqTargets.Target install(TestPostgres pg) {
            return PgmqTargets.compat(pg);
        }
    }
}
