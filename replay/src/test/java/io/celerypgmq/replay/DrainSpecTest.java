package io.celerypgmq.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DrainSpecTest {
    @Test
    void theSameDrainGetsTheSameJobIdSoARerunResumesIt() {
        DrainSpec a = DrainSpec.of(List.of("celery", "other"), "moved");
        DrainSpec b = DrainSpec.of(List.of("other", "celery"), "moved").withLimits(10, 5, 100);

        assertThat(a.effectiveJobId()).isEqualTo(b.effectiveJobId()).startsWith("r2p-");
        assertThat(DrainSpec.of(List.of("celery"), "elsewhere").effectiveJobId())
                .isNotEqualTo(a.effectiveJobId());
        assertThat(a.withFilter(new ReplayFilter(List.of("x*"), Set.of(), null)).effectiveJobId())
                .isNotEqualTo(a.effectiveJobId());
        assertThat(a.withJobId("mine").effectiveJobId()).isEqualTo("mine");
    }

    @Test
    void anAgeFilterOnListsIsRefusedBecauseCeleryMessagesCarryNoTimestamp() {
        assertThatThrownBy(() -> DrainSpec.of(List.of("celery"), "q")
                        .withFilter(new ReplayFilter(List.of(), Set.of(), Duration.ofMinutes(5))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--only-unacked");
    }

    @Test
    void nonsenseIsRefusedWithTheOptionNamed() {
        assertThatThrownBy(() -> DrainSpec.of(List.of(), "q")).hasMessageContaining("Celery queue");
        assertThatThrownBy(() -> DrainSpec.of(List.of("celery"), "q").withLimits(-1, 0, 0))
                .hasMessageContaining("--limit");
        assertThatThrownBy(() -> DrainSpec.of(List.of("celery"), "q").withJobId("bad id!"))
                .hasMessageContaining("job id");
        assertThatThrownBy(() -> new RedriveSpec(null, "q_dlq", "q", "celery", ReplayFilter.ALL, 0, 0, 0, false))
                .hasMessageContaining("exactly one");
    }
}
