package io.celerypgmq.bridge.pgmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.testkit.TestPostgres;

/**
 * The pgmq installs the contract suites run on. {@code CELERY_PGMQ_TEST_PGMQ} chooses: {@code auto} (default) tests
 * the compatible schema and also the real extension where the server offers it; {@code extension} requires the
 * extension (a missing one fails the run); {@code compat} tests only the compatible schema.
 */
final class PgmqTargets {
    static final String ENV = "CELERY_PGMQ_TEST_PGMQ";

    private PgmqTargets() {}

    static PgmqPreference requested() {
        return PgmqPreference.parse(System.getenv(ENV));
    }

    /** The pgmq a contract class runs on, or why this run leaves it untested. */
    record Target(PgmqStatus status, String notTestedBecause) {
        static Target tested(PgmqStatus status) {
            return new Target(status, null);
        }

        static Target notTested(String reason) {
            return new Target(null, reason);
        }
    }

    /** Our compatible schema, always tested. */
    static Target compat(TestPostgres pg) {
        PgmqStatus status = PgmqInstaller.ensure(pg.dataSource(), PgmqPreference.COMPAT);
        assertThat(status.kind()).isEqualTo(PgmqStatus.Kind.COMPATIBLE_SCHEMA);
        return Target.tested(status);
    }

    /** The real extension: untested when this run does not ask for it, failed when it asks but the server lacks it. */
    static Target extension(TestPostgres pg) {
        PgmqPreference requested = requested();
        if (requested == PgmqPreference.COMPAT) {
            return Target.notTested(ENV + "=compat: the real pgmq extension is not tested");
        }
        boolean available = pg.pgmqExtensionAvailable();
        if (requested == PgmqPreference.AUTO && !available) {
            return Target.notTested(
                    "pgmq extension not available on " + pg.backend() + " (set " + ENV + "=extension to require it)");
        }
        assertThat(available)
                .as("%s=extension but %s does not offer the pgmq extension", ENV, pg.backend())
                .isTrue();
        PgmqStatus status = PgmqInstaller.ensure(pg.dataSource(), PgmqPreference.EXTENSION);
        assertThat(status.kind()).isEqualTo(PgmqStatus.Kind.EXTENSION);
        return Target.tested(status);
    }
}
