package io.celerypgmq.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReportTest {
    private static ReplayReport sample(JobState state) {
        ReplayTally t = new ReplayTally();
        for (int i = 0; i < 3; i++) {
            t.moved("tasks.add", "celery\u0006\u00169", "user_tasks");
        }
        t.failure("BAD_BASE64", "celery");
        t.left("unacked entry delivered within the visibility timeout (3600 s)", 2);
        t.skipped("not selected by --task/--task-id", 5);
        t.note("run again later");
        return t.report(ReplayKind.REDIS_TO_PGMQ, "r2p-1", state, 1500, 3L);
    }

    @Test
    void theTextSaysWhatMovedWhatWasLeftAndWhy() {
        String text = sample(JobState.DRAINED).toText();

        assertThat(text)
                .contains("replay redis-to-pgmq, job r2p-1: drained in 1.5 s (2 msg/s)")
                .containsPattern("moved +3 +job total 3")
                .containsPattern("quarantined +1")
                .containsPattern("tasks.add +3")
                .contains("celery\\x06\\x169")
                .containsPattern("BAD_BASE64 +1")
                .contains("left behind (needs attention):")
                .containsPattern("visibility timeout \\(3600 s\\) +2")
                .contains("- run again later");
    }

    @Test
    void aDryRunSpeaksInTheConditional() {
        String text = sample(JobState.DRY_RUN).toText();

        assertThat(text)
                .contains("DRY RUN, nothing was changed")
                .contains("would move")
                .contains("would quarantine");
    }

    @Test
    void theJsonCarriesEveryCountUnderStableNames() throws Exception {
        JsonNode json = new ObjectMapper().readTree(sample(JobState.DRAINED).toJson());

        assertThat(json.get("moved").asLong()).isEqualTo(3);
        assertThat(json.get("clean").asBoolean()).isFalse();
        assertThat(json.get("per_task").get("tasks.add").asLong()).isEqualTo(3);
        assertThat(json.get("per_source").get("celery\\x06\\x169").asLong()).isEqualTo(3);
        assertThat(json.get("left").size()).isEqualTo(1);
        assertThat(json.get("skipped").get("not selected by --task/--task-id").asLong())
                .isEqualTo(5);
        assertThat(json.get("quarantine_reasons").get("BAD_BASE64").asLong()).isEqualTo(1);
    }

    @Test
    void aCleanRunIsOneWithNothingQuarantinedLeftOrCancelled() {
        ReplayTally t = new ReplayTally();
        t.moved("a", "celery", "q");
        t.skipped("not selected by --task/--task-id", 4);

        assertThat(t.report(ReplayKind.REDIS_TO_PGMQ, "j", JobState.DRAINED, 1, null)
                        .clean())
                .isTrue();
        assertThat(t.report(ReplayKind.REDIS_TO_PGMQ, "j", JobState.CANCELLED, 1, null)
                        .clean())
                .isFalse();
    }

    @Test
    void progressLinesComeAtTheIntervalWithRateAndTimeLeft() {
        MutableClock clock = new MutableClock();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        LineProgress p = new LineProgress(
                "drain", new PrintStream(bytes, true, StandardCharsets.UTF_8), Duration.ofSeconds(5), clock);
        p.expect(1000);

        clock.advance(Duration.ofSeconds(2));
        p.advance(100);
        clock.advance(Duration.ofSeconds(3));
        p.advance(400);

        assertThat(bytes.toString(StandardCharsets.UTF_8).trim())
                .isEqualTo("drain: 500/1000 messages, 100 msg/s, about 5 s left");
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
