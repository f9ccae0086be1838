package io.celerypgmq.rollout;

import static io.celerypgmq.rollout.RolloutState.COMPLETED;
import static io.celerypgmq.rollout.RolloutState.PAUSED;
import static io.celerypgmq.rollout.RolloutState.RAMPING;
import static io.celerypgmq.rollout.RolloutState.ROLLED_BACK;
import static io.celerypgmq.rollout.RolloutState.ROLLING_BACK;
import static io.celerypgmq.rollout.RolloutState.SHADOWING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RolloutTransitionsTest {
    /** The table as the issue describes it, written out independently of the code. */
    private static final Set<List<RolloutState>> EXPECTED = Set.of(
            List.of(SHADOWING, RAMPING),
            List.of(SHADOWING, PAUSED),
            List.of(SHADOWING, ROLLING_BACK),
            List.of(RAMPING, RAMPING),
            List.of(RAMPING, COMPLETED),
            List.of(RAMPING, PAUSED),
            List.of(RAMPING, ROLLING_BACK),
            List.of(PAUSED, SHADOWING),
            List.of(PAUSED, RAMPING),
            List.of(PAUSED, ROLLING_BACK),
            List.of(ROLLING_BACK, ROLLED_BACK));

    @Test
    void exactlyTheMovesOfTheTableAreAllowedAndEveryOtherThrowsNamingBothStates() {
        int refused = 0;
        for (RolloutState from : RolloutState.values()) {
            for (RolloutState to : RolloutState.values()) {
                boolean expected = EXPECTED.contains(List.of(from, to));
                assertThat(RolloutTransitions.allowed(from, to))
                        .as(from + " → " + to)
                        .isEqualTo(expected);
                if (!expected) {
                    refused++;
                    assertThatThrownBy(() -> RolloutTransitions.check(7, from, to))
                            .isInstanceOf(IllegalRolloutTransitionException.class)
                            .hasMessageContaining("rollout #7")
                            .hasMessageContaining("from " + from.words() + " to " + to.words());
                }
            }
        }
        assertThat(refused).isEqualTo(36 - EXPECTED.size());
    }

    @Test
    void aFinishedRolloutIsToldToStartANewOne() {
        assertThatThrownBy(() -> RolloutTransitions.check(3, COMPLETED, ROLLING_BACK))
                .hasMessage("rollout #3 cannot go from completed to rolling back: it is finished; start a new rollout");
    }

    @Test
    void anUnfinishedOneIsToldWhereItCanGo() {
        assertThatThrownBy(() -> RolloutTransitions.check(4, ROLLING_BACK, RAMPING))
                .hasMessage(
                        "rollout #4 cannot go from rolling back to ramping: from rolling back it can go to rolled back");
    }
}
