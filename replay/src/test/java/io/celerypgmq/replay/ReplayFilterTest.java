package io.celerypgmq.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReplayFilterTest {
    @Test
    void globsMatchWholeTaskNamesWithStarAndQuestionMark() {
        ReplayFilter f = new ReplayFilter(List.of("reports.*", "tasks.ad?"), Set.of(), null);

        assertThat(f.matchesTask("reports.daily.pdf", "1")).isTrue();
        assertThat(f.matchesTask("tasks.add", "1")).isTrue();
        assertThat(f.matchesTask("tasks.adds", "1")).isFalse();
        assertThat(f.matchesTask("myreports.daily", "1")).isFalse();
        assertThat(f.matchesTask(null, "1")).isFalse();
    }

    @Test
    void regexCharactersInAGlobAreLiteral() {
        ReplayFilter f = new ReplayFilter(List.of("a+b.(c)"), Set.of(), null);

        assertThat(f.matchesTask("a+b.(c)", "1")).isTrue();
        assertThat(f.matchesTask("aab.(c)", "1")).isFalse();
    }

    @Test
    void taskIdsAndGlobsMustBothMatch() {
        ReplayFilter f = new ReplayFilter(List.of("tasks.*"), Set.of("id-1"), null);

        assertThat(f.matchesTask("tasks.add", "id-1")).isTrue();
        assertThat(f.matchesTask("tasks.add", "id-2")).isFalse();
        assertThat(f.matchesTask("other", "id-1")).isFalse();
        assertThat(f.inspectsContent()).isTrue();
        assertThat(ReplayFilter.ALL.inspectsContent()).isFalse();
    }

    @Test
    void anAgeNeedsATimestampOldEnough() {
        ReplayFilter f = new ReplayFilter(List.of(), Set.of(), Duration.ofMinutes(10));
        Instant now = Instant.parse("2026-01-01T12:00:00Z");

        assertThat(f.oldEnough(now.minusSeconds(600), now)).isTrue();
        assertThat(f.oldEnough(now.minusSeconds(599), now)).isFalse();
        assertThat(f.oldEnough(null, now)).isFalse();
        assertThat(ReplayFilter.ALL.oldEnough(null, now)).isTrue();
    }

    @Test
    void aBlankPatternOrANegativeAgeIsRefused() {
        assertThatThrownBy(() -> new ReplayFilter(List.of(" "), Set.of(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReplayFilter(List.of(), Set.of(), Duration.ofSeconds(-1)))
                .hasMessageContaining("--older-than");
    }
}
