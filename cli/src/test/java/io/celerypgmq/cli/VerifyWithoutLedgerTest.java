package io.celerypgmq.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import org.junit.jupiter.api.Test;

@RealBackends
class VerifyWithoutLedgerTest {

    @Test
    void aDatabaseTheBridgeNeverRanAgainstCannotBeVerified(TestPostgres pg) {
        String url = pg.url().jdbcUrl() + "?user="
                + (pg.url().user() == null ? "postgres" : pg.url().user());

        Cli r = Cli.run("verify", "--database-url", url);

        assertThat(r.exitCode()).isEqualTo(ExitCode.CANNOT_START);
        assertThat(r.err()).contains("no celery_pgmq.ledger");
    }
}
