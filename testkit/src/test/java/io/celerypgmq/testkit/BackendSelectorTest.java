package io.celerypgmq.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The choice of backend, with probes standing in for the servers so every outcome can be produced. */
class BackendSelectorTest {
    private final List<BackendKind> probed = new ArrayList<>();
    private final Map<BackendKind, BackendProbe<String>> probes = new EnumMap<>(BackendKind.class);
    private final Map<String, String> settings = new HashMap<>();

    private BackendProbe<String> unavailable(BackendKind kind, String reason) {
        return () -> {
            probed.add(kind);
            throw new BackendProbe.Unavailable(reason);
        };
    }

    private BackendProbe<String> serving(BackendKind kind, String server) {
        return () -> {
            probed.add(kind);
            return server;
        };
    }

    private BackendProbe<String> failing(BackendKind kind, Exception failure) {
        return () -> {
            probed.add(kind);
            throw failure;
        };
    }

    private String select() {
        return new BackendSelector<>("Postgres", probes, settings::get, "Start a server.").select();
    }

    @Test
    void theFirstKindThatServesIsChosenAndLaterKindsAreNotStarted() {
        probes.put(BackendKind.ENV, unavailable(BackendKind.ENV, "CELERY_PGMQ_TEST_PG_URL is not set"));
        probes.put(BackendKind.TESTCONTAINERS, unavailable(BackendKind.TESTCONTAINERS, "no Docker engine"));
        probes.put(BackendKind.LOCAL, serving(BackendKind.LOCAL, "local server"));
        probes.put(BackendKind.EMBEDDED, serving(BackendKind.EMBEDDED, "embedded server"));

        assertThat(select()).isEqualTo("local server");
        assertThat(probed).containsExactly(BackendKind.ENV, BackendKind.TESTCONTAINERS, BackendKind.LOCAL);
    }

    @Test
    void aForcedKindIsTheOnlyOneTried() {
        probes.put(BackendKind.LOCAL, serving(BackendKind.LOCAL, "local server"));
        probes.put(BackendKind.EMBEDDED, serving(BackendKind.EMBEDDED, "embedded server"));
        settings.put(BackendSelector.FORCE_KEY, " Embedded ");

        assertThat(select()).isEqualTo("embedded server");
        assertThat(probed).containsExactly(BackendKind.EMBEDDED);
    }

    @Test
    void aForcedKindThatFailsIsNotReplacedByAnother() {
        probes.put(BackendKind.TESTCONTAINERS, unavailable(BackendKind.TESTCONTAINERS, "no Docker engine"));
        probes.put(BackendKind.LOCAL, serving(BackendKind.LOCAL, "local server"));
        settings.put(BackendSelector.FORCE_KEY, "testcontainers");

        assertThatThrownBy(this::select)
                .isInstanceOf(NoTestBackendException.class)
                .hasMessageContaining("CELERY_PGMQ_TEST_BACKEND=testcontainers forces one choice")
                .hasMessageContaining("testcontainers: no Docker engine");
        assertThat(probed).containsExactly(BackendKind.TESTCONTAINERS);
    }

    @Test
    void anUnknownForcedKindIsRejectedNamingTheAllowedOnes() {
        settings.put(BackendSelector.FORCE_KEY, "docker");

        assertThatThrownBy(this::select)
                .isInstanceOf(NoTestBackendException.class)
                .hasMessage("CELERY_PGMQ_TEST_BACKEND='docker' is not one of env|testcontainers|local|embedded");
    }

    @Test
    void onCiWithNoBackendTheFailureNamesEveryAttemptAndTheWayOut() {
        settings.put("CI", "true");
        probes.put(BackendKind.ENV, unavailable(BackendKind.ENV, "CELERY_PGMQ_TEST_PG_URL is not set"));
        probes.put(BackendKind.TESTCONTAINERS, unavailable(BackendKind.TESTCONTAINERS, "no Docker engine"));
        probes.put(BackendKind.LOCAL, unavailable(BackendKind.LOCAL, "nothing listening on 127.0.0.1:5432"));
        probes.put(
                BackendKind.EMBEDDED,
                failing(BackendKind.EMBEDDED, new IllegalStateException("no binaries for linux/riscv64")));

        assertThatThrownBy(this::select)
                .isInstanceOf(NoTestBackendException.class)
                .hasMessage("No Postgres for tests; CI=true, so tests needing it fail instead of being skipped."
                        + " Tried: env: CELERY_PGMQ_TEST_PG_URL is not set; testcontainers: no Docker engine;"
                        + " local: nothing listening on 127.0.0.1:5432; embedded: failed:"
                        + " java.lang.IllegalStateException: no binaries for linux/riscv64. Start a server.");
    }

    @Test
    void aConfiguredUrlThatFailsStopsTheSearchAndItsPasswordIsMasked() {
        probes.put(
                BackendKind.ENV,
                failing(
                        BackendKind.ENV,
                        new SQLException("cannot reach postgresql://app:hunter2@db.internal:5432/postgres")));
        probes.put(BackendKind.LOCAL, serving(BackendKind.LOCAL, "local server"));

        assertThatThrownBy(this::select)
                .isInstanceOf(NoTestBackendException.class)
                .hasMessageContaining("env: failed: java.sql.SQLException: cannot reach postgresql://****@db.internal")
                .hasMessageNotContaining("hunter2");
        assertThat(probed).containsExactly(BackendKind.ENV);
    }

    @Test
    void aKindThatFailsOtherThanEnvFallsThroughToTheNext() {
        probes.put(BackendKind.LOCAL, failing(BackendKind.LOCAL, new SQLException("password authentication failed")));
        probes.put(BackendKind.EMBEDDED, serving(BackendKind.EMBEDDED, "embedded server"));

        assertThat(select()).isEqualTo("embedded server");
        assertThat(probed).containsExactly(BackendKind.LOCAL, BackendKind.EMBEDDED);
    }
}
