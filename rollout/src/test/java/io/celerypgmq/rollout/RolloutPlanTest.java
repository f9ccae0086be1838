package io.celerypgmq.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.bridge.route.PayloadFormat;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RolloutPlanTest {

    @Test
    void stepsAreReadFromTheFlagWithOrWithoutPercentSigns() {
        assertThat(RolloutPlan.parseSteps("1,5,25,50,100")).containsExactly(1, 5, 25, 50, 100);
        assertThat(RolloutPlan.parseSteps(" 10 %, 100% ")).containsExactly(10, 100);
    }

    @Test
    void badStepsAreRefusedNamingWhatIsWrong() {
        assertThatThrownBy(() -> RolloutPlan.parseSteps("1,five,100"))
                .hasMessage("--steps: 'five' is not a whole percentage");
        assertThatThrownBy(() -> RolloutPlan.parseSteps("10,5,100")).hasMessage("--steps must go up: 5 % after 10 %");
        assertThatThrownBy(() -> RolloutPlan.parseSteps("1,5,50"))
                .hasMessage("--steps must end at 100 %, ends at 50 %: a rollout moves the whole task type");
        assertThatThrownBy(() -> RolloutPlan.parseSteps("0,100")).hasMessage("--steps: 0 % is not within 1..100");
    }

    @Test
    void aGlobAShortHoldAndAShadowQueueThatIsTheTargetAreRefused() {
        assertThatThrownBy(() -> plan("reports.*", Duration.ofMinutes(1), Duration.ZERO, "q_shadow"))
                .hasMessageContaining("give its exact name");
        assertThatThrownBy(() -> plan("t", Duration.ofMillis(500), Duration.ZERO, "q_shadow"))
                .hasMessage("--hold must be at least 1s, was PT0.5S");
        assertThatThrownBy(() -> plan("t", Duration.ofMinutes(1), Duration.ofMinutes(1), "q"))
                .hasMessageContaining("shadow copies would run twice");
    }

    @Test
    void aQueueNamePgmqCouldNotCreateIsRefused() {
        String longName = "q".repeat(48);
        assertThatThrownBy(() -> new RolloutPlan(
                        "t",
                        List.of(100),
                        Duration.ofMinutes(1),
                        null,
                        longName,
                        null,
                        PayloadFormat.TASK,
                        null,
                        false))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static RolloutPlan plan(String task, Duration hold, Duration shadow, String shadowQueue) {
        return new RolloutPlan(task, List.of(1, 100), hold, shadow, "q", shadowQueue, PayloadFormat.TASK, null, false);
    }
}
