package io.celerypgmq.bridge.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.celerypgmq.bridge.ledger.BridgeSchema;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestPostgres;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@RealBackends
class RouteStoreTest {

    @BeforeAll
    static void schema(TestPostgres pg) {
        BridgeSchema.install(pg.dataSource());
        BridgeSchema.install(pg.dataSource()); // idempotent
    }

    @Test
    void aRouteChangeIsStoredWithItsHistory(TestPostgres pg) {
        RouteStore store = new RouteStore(pg.dataSource());
        Route shadow = new Route("send_welcome_email", RouteMode.SHADOW, 100, "user_tasks_shadow", PayloadFormat.TASK);
        Route tenPercent = new Route("send_welcome_email", RouteMode.PGMQ, 10, "user_tasks", PayloadFormat.TEMPLATE);

        store.set(shadow, "alice", "start shadowing");
        store.set(tenPercent, "bob", "canary");

        assertThat(store.load().routeFor("send_welcome_email")).isEqualTo(tenPercent);
        List<RouteChange> history = store.history(10).stream()
                .filter(c -> c.taskPattern().equals("send_welcome_email"))
                .toList();
        assertThat(history).hasSize(2);
        assertThat(history.get(0).oldRoute()).isEqualTo("shadow → user_tasks_shadow");
        assertThat(history.get(0).newRoute()).isEqualTo("pgmq 10 % → user_tasks");
        assertThat(history.get(0).changedBy()).isEqualTo("bob");
        assertThat(history.get(1).oldRoute()).isNull();
        assertThat(history.get(1).reason()).isEqualTo("start shadowing");
    }

    @Test
    void anIllegalChangeIsRefusedAndLeavesNoTrace(TestPostgres pg) {
        RouteStore store = new RouteStore(pg.dataSource());
        long before = store.version();
        Route direct = new Route("cleanup_inactive_users", RouteMode.PGMQ, 100, "user_tasks", PayloadFormat.TASK);

        assertThatThrownBy(() -> store.set(direct, "carol", "skip shadow"))
                .isInstanceOf(IllegalRouteTransitionException.class);
        assertThat(store.version()).isEqualTo(before);
        assertThat(store.load().routeFor("cleanup_inactive_users").mode()).isEqualTo(RouteMode.CELERY);
    }

    @Test
    void aKombuShadowIntoAQueueCeleryWorkersMayConsumeIsRefusedUnlessTheOperatorSaysNoneDoes(TestPostgres pg) {
        RouteStore store = new RouteStore(pg.dataSource());
        Route shadow = new Route("audit.copy", RouteMode.SHADOW, 100, "audit_only", PayloadFormat.KOMBU);

        assertThatThrownBy(() -> store.set(shadow, "erin", "copy"))
                .isInstanceOf(IllegalRouteTransitionException.class)
                .hasMessageContaining("run twice");
        assertThat(store.load().routeFor("audit.copy").mode()).isEqualTo(RouteMode.CELERY);

        store.set(shadow, "erin", "copy", RouteTransitions.ShadowCopies.NO_CELERY_CONSUMER);
        assertThat(store.load().routeFor("audit.copy")).isEqualTo(shadow);
    }

    @Test
    void aRunningWatcherAppliesAChangeWithinOneSecond(TestPostgres pg) {
        RouteStore store = new RouteStore(pg.dataSource());
        try (RouteWatcher watcher = RouteWatcher.start(store)) {
            Route canary = new Route("generate_user_report", RouteMode.PGMQ, 10, "reports", PayloadFormat.KOMBU);
            store.set(canary, "dave", null);
            await().atMost(Duration.ofSeconds(1))
                    .untilAsserted(() -> assertThat(watcher.current().routeFor("generate_user_report"))
                            .isEqualTo(canary));
        }
    }
}
