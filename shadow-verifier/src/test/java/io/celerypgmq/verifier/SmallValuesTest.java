package io.celerypgmq.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.celerypgmq.verifier.compare.CeleryState;
import io.celerypgmq.verifier.compare.ComparisonRow;
import io.celerypgmq.verifier.compare.ShadowComparison;
import io.celerypgmq.verifier.reconcile.DlqConvention;
import io.celerypgmq.verifier.reconcile.EntryStatus;
import io.celerypgmq.verifier.reconcile.ShadowEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmallValuesTest {

    @Test
    void taskGlobsMatchLikeRoutesAndEscapeSqlWildcards() {
        TaskGlob g = new TaskGlob("reports.*_v?");
        assertThat(g.matches("reports.daily_v2")).isTrue();
        assertThat(g.matches("reports.dailyXv2")).as("_ is literal").isFalse();
        assertThat(g.like()).isEqualTo("reports.%\\_v_");
        assertThat(new TaskGlob("100%").like()).isEqualTo("100\\%");
    }

    @Test
    void windowBoundsReadAsInstantsOrDurationsBackFromNow() {
        Instant now = Instant.parse("2031-01-01T12:00:00Z");
        assertThat(Window.parseInstant("6h", now)).isEqualTo(Instant.parse("2031-01-01T06:00:00Z"));
        assertThat(Window.parseInstant("2030-12-31T00:00:00Z", now)).isEqualTo(Instant.parse("2030-12-31T00:00:00Z"));
        assertThat(Window.parseDuration("PT90S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Window.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThatThrownBy(() -> Window.parseInstant("yesterday", now)).hasMessageContaining("neither an instant");
        assertThatThrownBy(() -> new Window(now, now)).hasMessageContaining("is not before");
    }

    @Test
    void shadowOutcomesPairCeleryStatesWithPgmqFates() {
        List<ShadowEntry> entries = List.of(
                new ShadowEntry("t", "ok", "i1", EntryStatus.DELETED, null),
                new ShadowEntry("t", "expired", "i2", EntryStatus.EXPIRED, null),
                new ShadowEntry("t", "lost", "i3", EntryStatus.MISSING, null),
                new ShadowEntry("t", "retrying", "i4", EntryStatus.ARCHIVED, null),
                new ShadowEntry("t", "queued", "i5", EntryStatus.PENDING, null),
                new ShadowEntry("t", "garbled", "i6", EntryStatus.ARCHIVED, null),
                new ShadowEntry("t", "never", "i7", EntryStatus.ARCHIVED, null));
        Map<String, CeleryState> celery = Map.of(
                "ok", CeleryState.SUCCESS,
                "expired", CeleryState.REVOKED,
                "lost", CeleryState.SUCCESS,
                "retrying", CeleryState.RETRY,
                "queued", CeleryState.SUCCESS,
                "garbled", CeleryState.UNREADABLE);

        ComparisonRow row = ShadowComparison.compare(entries, celery).get("t");

        assertThat(row.shadowCopies()).isEqualTo(7);
        assertThat(row.compared()).isEqualTo(3);
        assertThat(row.matches()).isEqualTo(2);
        assertThat(row.mismatches()).isEqualTo(1);
        assertThat(row.examples()).singleElement().satisfies(m -> assertThat(m.taskId())
                .isEqualTo("lost"));
        assertThat(row.notFinal()).isEqualTo(2);
        assertThat(row.unreadable()).isEqualTo(1);
        assertThat(row.noCeleryResult()).isEqualTo(1);
    }

    @Test
    void dlqNamesFollowTheSuffixOrTheSharedQueueAndHeadersNameTheSource() {
        DlqConvention d = DlqConvention.defaults();
        assertThat(d.dlqOf("user_tasks"))
                .hasValueSatisfying(q -> assertThat(q.value()).isEqualTo("user_tasks_dlq"));
        assertThat(d.dlqOf("x".repeat(45))).as("longer than pgmq allows").isEmpty();
        assertThat(d.isDlq("user_tasks_dlq")).isTrue();
        assertThat(d.headersFor("user_tasks", 42, "id-1", "boom"))
                .isEqualTo("{\"original_msg_id\":\"42\",\"original_queue\":\"user_tasks\",\"error\":\"boom\","
                        + "\"x-celery-identity\":\"id-1\"}");
        assertThatThrownBy(() -> new DlqConvention("", null, "a", "b", "c", "d"))
                .hasMessageContaining("suffix");
    }

    @Test
    void celeryResultDocumentsAreReadByStatusAndNeverGuessed() {
        assertThat(CeleryState.parse("success")).isEqualTo(CeleryState.SUCCESS);
        assertThat(CeleryState.parse("PROGRESS"))
                .as("custom states are not final")
                .isEqualTo(CeleryState.STARTED);
        assertThat(CeleryState.parse(null)).isEqualTo(CeleryState.UNREADABLE);
    }
}
