package io.celerypgmq.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutLauncherTest {
    private static final String TASK = "send_welcome_email";

    @Test
    void aTaskOnCeleryIsShadowedFirstAndWithoutShadowIsToldHow() {
        assertThatThrownBy(() -> RolloutLauncher.plan(request(null, null), Route.celery(TASK)))
                .hasMessageContaining("is routed to celery, and a task type is shadowed before it moves: add --shadow");

        RolloutPlan plan = RolloutLauncher.plan(request(Duration.ofMinutes(5), null), Route.celery(TASK));

        assertThat(plan.shadowFirst()).isTrue();
        assertThat(plan.shadowQueue()).isEqualTo("user_tasks_shadow");
        assertThat(plan.format()).isEqualTo(PayloadFormat.TASK);
        Rollout draft = RolloutLauncher.draft(plan, Instant.EPOCH, "alice");
        assertThat(draft.state()).isEqualTo(RolloutState.SHADOWING);
        assertThat(draft.routeOf(draft.stepIndex()).describeMode()).isEqualTo("shadow → user_tasks_shadow");
    }

    @Test
    void aShadowedTaskRampsAtOnceKeepingItsShadowQueueAndFormat() {
        Route shadow = new Route(TASK, RouteMode.SHADOW, 100, "welcome_shadow", PayloadFormat.TEMPLATE);

        RolloutPlan plan = RolloutLauncher.plan(request(null, null), shadow);

        assertThat(plan.shadowFirst()).isFalse();
        assertThat(plan.format()).isEqualTo(PayloadFormat.TEMPLATE);
        Rollout draft = RolloutLauncher.draft(plan, Instant.EPOCH, "alice");
        assertThat(draft.state()).isEqualTo(RolloutState.RAMPING);
        assertThat(draft.gateAt()).isEqualTo(Instant.EPOCH.plus(Duration.ofMinutes(10)));
        assertThat(draft.routeOf(0).describeMode()).isEqualTo("pgmq 1 % → user_tasks");
    }

    @Test
    void aTaskAlreadyOnPgmqOrShadowingIntoTheTargetQueueIsRefused() {
        Route pgmq = new Route(TASK, RouteMode.PGMQ, 10, "user_tasks", PayloadFormat.TASK);
        assertThatThrownBy(() -> RolloutLauncher.plan(request(null, null), pgmq))
                .hasMessageStartingWith("send_welcome_email is already routed pgmq 10 % → user_tasks");
        Route sameQueue = new Route(TASK, RouteMode.SHADOW, 100, "user_tasks", PayloadFormat.TASK);
        assertThatThrownBy(() -> RolloutLauncher.plan(request(null, null), sameQueue))
                .hasMessageContaining("a rollback would send those shadow copies to Celery a second time");
    }

    @Test
    void theTargetQueueIsRequired() {
        var req = new RolloutLauncher.Request(
                TASK, List.of(100), Duration.ofMinutes(1), null, null, null, null, null, false);
        assertThatThrownBy(() ->
                        RolloutLauncher.plan(req, new Route(TASK, RouteMode.SHADOW, 100, "s", PayloadFormat.TASK)))
                .hasMessage("--queue is required: the pgmq queue send_welcome_email moves to");
    }

    private static RolloutLauncher.Request request(Duration shadow, PayloadFormat format) {
        return new RolloutLauncher.Request(
                TASK,
                List.of(1, 5, 25, 50, 100),
                Duration.ofMinutes(10),
                shadow,
                "user_tasks",
                null,
                format,
                null,
                false);
    }
}
