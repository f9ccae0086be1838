package io.celerypgmq.bridge.pgmq;

import io.celerypgmq.testkit.TestPostgres;
import org.junit.jupiter.api.Nested;

/** The pgmq contract on the real pgmq extension, where CELERY_PGMQ_TEST_PGMQ and the server allow (see PgmqTargets). */
class ExtensionPgmqTest {

    @Nested
    class Queues extends QueueManagementContract {
        @Override
        PgmqTargets.Target install(TestPostgres pg) {
            return PgmqTargets.extension(pg);
        }
    }

    @Nested
    class Messaging extends MessagingContract {
        @Override
        PgmqTargets.Target install(TestPostgres pg) {
            return PgmqTargets.extension(pg);
        }
    }

    @Nested
    class Acknowledging extends AcknowledgingContract {
        @Override
        PgmqTargets.Target install(TestPostgres pg) {
            return PgmqTargets.extension(pg);
        }
    }

    @Nested
    class Batches extends BatchContract {
        @Override
        PgmqTargets.Target install(TestPostgres pg) {
            return PgmqTargets.extension(pg);
        }
    }

    @Nested
    class Transactions extends TransactionContract {
        @Override
        PgmqTargets.Target install(TestPostgres pg) {
            return PgmqTargets.extension(pg);
        }
    }
}
