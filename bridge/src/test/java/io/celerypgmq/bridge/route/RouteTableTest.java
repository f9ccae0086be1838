package io.celerypgmq.bridge.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RouteTableTest {

    private static Route pgmq(String pattern, int percent) {
        return new Route(pattern, RouteMode.PGMQ, percent, "user_tasks", PayloadFormat.TASK);
    }

    @Test
    void anUnknownTaskStaysOnCelery() {
        RoutingDecision d = RouteTable.celeryOnly().decide("tasks.add", "root-1");
        assertThat(d.toCelery()).isTrue();
        assertThat(d.toPgmq()).isFalse();
    }

    @Test
    void anExactNameBeatsAGlobAndTheLongerGlobBeatsTheShorter() {
        RouteTable table = new RouteTable(
                List.of(
                        pgmq("reports.*", 100),
                        new Route("reports.daily.*", RouteMode.SHADOW, 100, "shadow_q", PayloadFormat.KOMBU),
                        Route.celery("reports.daily.summary")),
                1);
        assertThat(table.routeFor("reports.weekly").taskPattern()).isEqualTo("reports.*");
        assertThat(table.routeFor("reports.daily.detail").taskPattern()).isEqualTo("reports.daily.*");
        assertThat(table.routeFor("reports.daily.summary").mode()).isEqualTo(RouteMode.CELERY);
        assertThat(table.routeFor("other").taskPattern()).isEqualTo("*");
    }

    @Test
    void shadowSendsToBothSidesAndPgmqToExactlyOne() {
        RouteTable table = new RouteTable(
                List.of(new Route("a", RouteMode.SHADOW, 100, "shadow_a", PayloadFormat.TASK), pgmq("b", 100)), 1);
        assertThat(table.decide("a", "r").isShadowCopy()).isTrue();
        RoutingDecision b = table.decide("b", "r");
        assertThat(b.toPgmq()).isTrue();
        assertThat(b.toCelery()).isFalse();
    }

    @Test
    void aPercentageIsStickyByRootIdAndCloseToTheShareAsked() {
        RouteTable table = new RouteTable(List.of(pgmq("send_welcome_email", 10)), 1);
        List<String> roots = IntStream.range(0, 20_000)
                .mapToObj(i -> UUID.randomUUID().toString())
                .toList();
        long onPgmq = roots.stream()
                .filter(r -> table.decide("send_welcome_email", r).toPgmq())
                .count();
        assertThat(onPgmq).isBetween(1_600L, 2_400L);
        for (String root : roots.subList(0, 500)) {
            boolean first = table.decide("send_welcome_email", root).toPgmq();
            assertThat(table.decide("send_welcome_email", root).toPgmq()).isEqualTo(first);
        }
    }

    @Test
    void zeroAndHundredPercentAreExact() {
        assertThat(StickySplit.takesPgmq("anything", 0)).isFalse();
        assertThat(StickySplit.takesPgmq("anything", 100)).isTrue();
    }

    @Test
    void globsMatchLikeAShell() {
        assertThat(Glob.matches("tasks.*", "tasks.add")).isTrue();
        assertThat(Glob.matches("tasks.*", "tasks")).isFalse();
        assertThat(Glob.matches("*.email", "send.welcome.email")).isTrue();
        assertThat(Glob.matches("t?sk", "task")).isTrue();
        assertThat(Glob.matches("t?sk", "tassk")).isFalse();
    }

    @Test
    void aRouteToPgmqNeedsAQueueAndASanePercentage() {
        assertThatThrownBy(() -> new Route("x", RouteMode.PGMQ, 10, null, PayloadFormat.TASK))
                .hasMessageContaining("needs a pgmq queue");
        assertThatThrownBy(() -> pgmq("x", 101)).hasMessageContaining("between 0 and 100");
    }

    @Test
    void celeryToPgmqWithoutShadowIsRefusedNamingBothStates() {
        Route from = Route.celery("send_welcome_email");
        Route to = pgmq("send_welcome_email", 10);
        assertThatThrownBy(() -> RouteTransitions.check(from, to))
                .isInstanceOf(IllegalRouteTransitionException.class)
                .hasMessageContaining("from celery to pgmq 10 % → user_tasks")
                .hasMessageContaining("shadow it first");
    }

    @Test
    void theJourneyForwardAndEveryRollbackAreAllowed() {
        assertThat(RouteTransitions.allowed(RouteMode.CELERY, RouteMode.SHADOW)).isTrue();
        assertThat(RouteTransitions.allowed(RouteMode.SHADOW, RouteMode.PGMQ)).isTrue();
        assertThat(RouteTransitions.allowed(RouteMode.PGMQ, RouteMode.PGMQ)).isTrue();
        assertThat(RouteTransitions.allowed(RouteMode.PGMQ, RouteMode.CELERY)).isTrue();
        assertThat(RouteTransitions.allowed(RouteMode.SHADOW, RouteMode.CELERY)).isTrue();
        assertThat(RouteTransitions.allowed(RouteMode.CELERY, RouteMode.PGMQ)).isFalse();
    }
}
