package io.celerypgmq.bridge.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RouteStateTest {
    private static final Instant AT = Instant.parse("2026-11-22T08:07:00Z");

    @Test
    void celeryAndShadowRoutesAreWhatTheySayWhateverRedisHolds() {
        assertThat(RouteState.of(Route.celery("t"), 40, AT).describe()).isEqualTo("celery");
        Route shadow = new Route("t", RouteMode.SHADOW, 100, "t_shadow", PayloadFormat.TASK);
        assertThat(RouteState.of(shadow, 40, AT).describe()).isEqualTo("shadow");
        Route partial = new Route("t", RouteMode.SHADOW, 30, "t_shadow", PayloadFormat.TASK);
        assertThat(RouteState.of(partial, -1, null).describe()).isEqualTo("shadow 30 %");
    }

    @Test
    void pgmqBelowOneHundredPercentIsRamping() {
        RouteState s = RouteState.of(new Route("t", RouteMode.PGMQ, 25, "q", PayloadFormat.TASK), 12, AT);
        assertThat(s.kind()).isEqualTo(RouteState.Kind.RAMPING);
        assertThat(s.describe()).isEqualTo("ramping 25 %");
    }

    @Test
    void pgmqAtOneHundredPercentIsDrainingWhileRedisHoldsMessagesOfThatTypeAndDrainedWhenNone() {
        Route all = new Route("t", RouteMode.PGMQ, 100, "q", PayloadFormat.TASK);

        assertThat(RouteState.of(all, -1, null).describe()).isEqualTo("pgmq");
        assertThat(RouteState.of(all, 12, AT).describe())
                .isEqualTo(
                        "draining (Redis still holds 12 messages of that type, last checked at 2026-11-22T08:07:00Z)");
        assertThat(RouteState.of(all, 1, AT).describe()).contains("holds 1 message of that type");
        assertThat(RouteState.of(all, 0, AT).describe())
                .isEqualTo("drained (Redis holds none of that type, last checked at 2026-11-22T08:07:00Z)");
    }

    @Test
    void drainingWithoutTheTimeOfTheCountIsRefused() {
        assertThatThrownBy(() -> new RouteState(RouteState.Kind.DRAINED, 100, 0, null))
                .hasMessage("drained needs the time Redis was counted");
    }
}
