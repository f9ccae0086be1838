package io.celerypgmq.testkit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineTestKit;

/** A test that needs a backend nobody can provide fails, with the selector's explanation; it is never skipped. */
class BackendFailureTest {

    @Test
    void aTestNeedingAMissingBackendFailsWithTheReasonInsteadOfBeingSkipped() {
        InsideEngineKit.run(() -> EngineTestKit.engine("junit-jupiter")
                        .selectors(selectClass(NoBackendAnywhere.class))
                        .execute())
                .testEvents()
                .assertStatistics(stats -> stats.started(1).failed(1).aborted(0).skipped(0))
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("needsPostgres"),
                                finishedWithFailure(
                                        instanceOf(ParameterResolutionException.class),
                                        message(m -> m.startsWith("No Postgres for tests; CI=true")
                                                && m.contains("local: nothing listening on 127.0.0.1:5432")))));
    }

    static PostgresServer nothingAvailable() {
        Map<BackendKind, BackendProbe<PostgresServer>> probes = Map.of(BackendKind.LOCAL, () -> {
            throw new BackendProbe.Unavailable("nothing listening on 127.0.0.1:5432");
        });
        Map<String, String> settings = Map.of("CI", "true");
        return new BackendSelector<>("Postgres", probes, settings::get, PostgresProbes.HINT).select();
    }

    @EnabledIf("io.celerypgmq.testkit.InsideEngineKit#active")
    static class NoBackendAnywhere {
        @RegisterExtension
        static final RealBackendsExtension BACKENDS =
                new RealBackendsExtension(BackendFailureTest::nothingAvailable, () -> {
                    throw new AssertionError("not needed");
                });

        @Test
        void needsPostgres(TestPostgres pg) {
            pg.connect();
        }
    }
}
