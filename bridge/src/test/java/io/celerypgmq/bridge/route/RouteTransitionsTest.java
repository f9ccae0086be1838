package io.celerypgmq.bridge.route;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.bridge.route.RouteTransitions.ShadowCopies;
import org.junit.jupiter.api.Test;

class RouteTransitionsTest {
    private static final String TASK = "emails.send";
    private static final Route CELERY = Route.celery(TASK);

    private static Route kombu(RouteMode mode, int percent) {
        return new Route(TASK, mode, percent, "k57_fast_q", PayloadFormat.KOMBU);
    }

    private static Route task(RouteMode mode, int percent) {
        return new Route(TASK, mode, percent, "emails", PayloadFormat.TASK);
    }

    @Test
    void aPlainPgmqWorkerMustBeShadowedBeforeItTakesTraffic() {
        assertThatThrownBy(() -> RouteTransitions.check(CELERY, task(RouteMode.PGMQ, 1)))
                .isInstanceOf(IllegalRouteTransitionException.class)
                .hasMessageContaining("from celery to pgmq 1 % → emails")
                .hasMessageContaining("shadow it first");
        assertThatCode(() -> RouteTransitions.check(CELERY, task(RouteMode.SHADOW, 100)))
                .doesNotThrowAnyException();
    }

    @Test
    void celeryOnPgmqMayGoStraightFromCeleryToPgmqAtASmallPercentage() {
        assertThatCode(() -> RouteTransitions.check(CELERY, kombu(RouteMode.PGMQ, 10)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> RouteTransitions.check(CELERY, kombu(RouteMode.PGMQ, 11)))
                .isInstanceOf(IllegalRouteTransitionException.class)
                .hasMessageContaining("from celery to pgmq 11 % → k57_fast_q")
                .hasMessageContaining("at 10 % or less");
    }

    @Test
    void aShadowCopyIntoAQueueCeleryWorkersConsumeIsRefusedWithTheReason() {
        assertThatThrownBy(() -> RouteTransitions.check(CELERY, kombu(RouteMode.SHADOW, 100)))
                .isInstanceOf(IllegalRouteTransitionException.class)
                .hasMessageContaining("would run every shadow copy, so the task would run twice")
                .hasMessageContaining("--no-celery-consumer");
    }

    @Test
    void aShadowCopyPassesWhenTheOperatorStatesThatNoCeleryWorkerConsumesTheQueue() {
        assertThatCode(() ->
                        RouteTransitions.check(CELERY, kombu(RouteMode.SHADOW, 100), ShadowCopies.NO_CELERY_CONSUMER))
                .doesNotThrowAnyException();
    }

    @Test
    void onceCeleryOnPgmqRunsTheTaskItsShareMayBeRaisedFreely() {
        assertThatCode(() -> RouteTransitions.check(kombu(RouteMode.PGMQ, 10), kombu(RouteMode.PGMQ, 100)))
                .doesNotThrowAnyException();
    }

    @Test
    void handingAPlainWorkersFullShareToCeleryOnPgmqIsCappedLikeAFirstStep() {
        assertThatThrownBy(() -> RouteTransitions.check(task(RouteMode.PGMQ, 100), kombu(RouteMode.PGMQ, 100)))
                .isInstanceOf(IllegalRouteTransitionException.class)
                .hasMessageContaining("at 10 % or less");
    }

    @Test
    void goingBackToCeleryIsAlwaysAllowed() {
        for (Route from : new Route[] {kombu(RouteMode.PGMQ, 100), task(RouteMode.SHADOW, 100), CELERY}) {
            assertThatCode(() -> RouteTransitions.check(from, Route.celery(TASK)))
                    .doesNotThrowAnyException();
        }
    }
}
