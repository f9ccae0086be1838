package io.celerypgmq.bridge.move;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.ledger.LedgerRecord;
import io.celerypgmq.bridge.pump.ExpiresPolicy;
import io.celerypgmq.bridge.pump.PgmqPayloads;
import io.celerypgmq.bridge.pump.PriorityPolicy;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.Route;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteTable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The engine's decisions without any store: what the routes say for a message no ledger has seen, and what a
 * committed record says for one it has (DESIGN invariants 7 and 9).
 */
class PlannerTest {
    private static final String TASK = "send_welcome_email";
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private final Planner planner = new Planner(MoverHarness.rules(ExpiresPolicy.FORWARD, true));
    private final Planner drain = new Planner(new ForwardRules(
            MoverHarness.CODEC,
            MoverHarness.KEYS,
            Map.of(),
            new PgmqPayloads(Map.of(), true),
            ExpiresPolicy.FORWARD,
            PriorityPolicy.HEADER,
            "replay",
            true,
            UnackedEntries.NONE));

    private static RouteTable routes(RouteMode mode, int percent) {
        return new RouteTable(
                mode == RouteMode.CELERY ? List.of() : List.of(new Route(TASK, mode, percent, "q", PayloadFormat.TASK)),
                1);
    }

    private static List<Decoded> decoded(Planner p, byte[]... raws) {
        return p.decode(
                java.util.Arrays.stream(raws)
                        .map(r -> new ClaimedMessage("celery", r))
                        .toList(),
                0,
                Long.MAX_VALUE);
    }

    private static LedgerRecord record(Decoded d, String route) {
        return new LedgerRecord(d.identity(), d.msg().id(), d.msg().task(), route, false, d.digest(), "q", 7L);
    }

    @Test
    void aMessageNoLedgerHasSeenGoesWhereTheRoutesSay() {
        List<Decoded> part = decoded(planner, TestMessages.task(TASK, "a@b.c", "A"));
        assertThat(planner.decide(part, routes(RouteMode.PGMQ, 100), Map.of(), Set.of(), NOW).pgmq)
                .hasSize(1);
        Plan shadow = planner.decide(part, routes(RouteMode.SHADOW, 100), Map.of(), Set.of(), NOW);
        assertThat(shadow.pgmq).hasSize(1);
        assertThat(shadow.celery).hasSize(1);
        Plan celery = planner.decide(part, routes(RouteMode.CELERY, 0), Map.of(), Set.of(), NOW);
        assertThat(celery.pgmq).isEmpty();
        assertThat(celery.celery).singleElement().satisfies(p -> assertThat(p.listKey())
                .isEqualTo("celery_workers"));
    }

    @Test
    void aCommittedPgmqDecisionStandsWhenTheRouteNowSaysCelery() {
        List<Decoded> part = decoded(planner, TestMessages.task(TASK, "a@b.c", "A"));
        Plan plan = planner.decide(
                part,
                routes(RouteMode.CELERY, 0),
                Map.of(part.get(0).identity(), record(part.get(0), "pgmq")),
                Set.of(),
                NOW);
        assertThat(plan.pgmq).isEmpty();
        assertThat(plan.celery).isEmpty();
        assertThat(plan.duplicates).isEqualTo(1);
        assertThat(plan.flow.isEmpty()).as("a redo counts nothing twice").isTrue();
    }

    @Test
    void aCommittedShadowDecisionStillPushesToCeleryWhenTheRouteNowSaysPgmq() {
        List<Decoded> part = decoded(planner, TestMessages.task(TASK, "a@b.c", "A"));
        Plan plan = planner.decide(
                part,
                routes(RouteMode.PGMQ, 100),
                Map.of(part.get(0).identity(), record(part.get(0), "shadow")),
                Set.of(),
                NOW);
        assertThat(plan.pgmq).isEmpty();
        assertThat(plan.celery).hasSize(1);
        assertThat(plan.finishedOnCelery).isEqualTo(1);
    }

    @Test
    void aRecordWithOtherContentUnderTheSameIdentityIsACollisionNotADuplicate() {
        byte[] first = TestMessages.task(TASK, "a@b.c", "A");
        byte[] other = TestMessages.withTag(TestMessages.task(TASK, "x@y.z", "X"), TestMessages.deliveryTag(first));
        LedgerRecord recorded = record(decoded(planner, first).get(0), "pgmq");
        Plan plan = planner.decide(
                decoded(planner, other),
                routes(RouteMode.PGMQ, 100),
                Map.of(recorded.identity(), recorded),
                Set.of(),
                NOW);
        assertThat(plan.pgmq).isEmpty();
        assertThat(plan.duplicates).isZero();
        assertThat(plan.collisions).isEqualTo(1);
        assertThat(plan.quarantined).singleElement().satisfies(q -> {
            assertThat(q.reason()).isEqualTo(Planner.COLLISION);
            assertThat(q.raw()).isEqualTo(other);
        });
    }

    @Test
    void aRowWrittenBeforeDigestsIsComparedByTaskIdAndName() {
        Decoded d = decoded(planner, TestMessages.task(TASK, "a@b.c", "A")).get(0);
        LedgerRecord old = new LedgerRecord(d.identity(), d.msg().id(), TASK, "pgmq", false, null, "q", 1L);
        Plan plan = planner.decide(List.of(d), routes(RouteMode.PGMQ, 100), Map.of(d.identity(), old), Set.of(), NOW);
        assertThat(plan.duplicates).isEqualTo(1);
        assertThat(plan.collisions).isZero();
    }

    @Test
    void twoMessagesWithOneIdentityInAPartSendTheFirstAndQuarantineTheOtherOrCountTheCopy() {
        byte[] first = TestMessages.task(TASK, "a@b.c", "A");
        byte[] copy = TestMessages.redelivered(first);
        byte[] other = TestMessages.withTag(TestMessages.task(TASK, "x@y.z", "X"), TestMessages.deliveryTag(first));
        Plan plan = planner.decide(
                decoded(planner, first, copy, other), routes(RouteMode.PGMQ, 100), Map.of(), Set.of(), NOW);
        assertThat(plan.pgmq).hasSize(1);
        assertThat(plan.duplicates).isEqualTo(1);
        assertThat(plan.collisions).isEqualTo(1);
    }

    @Test
    void aDrainRenewsTheCeleryCopyOfAShadowedMessageAndBothMoversRenewOneThatCameBack() {
        Decoded d = decoded(drain, TestMessages.task(TASK, "a@b.c", "A")).get(0);
        Plan shadowed = drain.decide(
                List.of(d), routes(RouteMode.PGMQ, 100), Map.of(d.identity(), record(d, "shadow")), Set.of(), NOW);
        assertThat(shadowed.renewals).singleElement().satisfies(r -> assertThat(r.newTag())
                .isEqualTo(Planner.renewedTag(record(d, "shadow"))));
        Plan cameBack = planner.decide(
                List.of(d),
                routes(RouteMode.PGMQ, 100),
                Map.of(d.identity(), record(d, "pgmq")),
                Set.of(d.identity()),
                NOW);
        assertThat(cameBack.renewals).hasSize(1);
        assertThat(cameBack.duplicates).isZero();
    }

    @Test
    void queuePerStepSplitsTaskRoutesButNotKombuRoutesWhoseWorkersReadOneQueue() {
        Planner perStep = new Planner(new ForwardRules(
                MoverHarness.CODEC,
                MoverHarness.KEYS,
                Map.of(),
                new PgmqPayloads(Map.of(), true),
                ExpiresPolicy.FORWARD,
                PriorityPolicy.QUEUE_PER_STEP,
                "pgmq",
                false,
                UnackedEntries.NONE));
        List<Decoded> part = perStep.decode(
                List.of(new ClaimedMessage("celery\u0006\u00166", TestMessages.task(TASK, "a@b.c", "A"))),
                0,
                Long.MAX_VALUE);
        RouteTable task = routes(RouteMode.PGMQ, 100);
        RouteTable kombu = new RouteTable(List.of(new Route(TASK, RouteMode.PGMQ, 100, "q", PayloadFormat.KOMBU)), 1);
        assertThat(perStep.decide(part, task, Map.of(), Set.of(), NOW)
                        .pgmq
                        .get(0)
                        .queue()
                        .value())
                .isEqualTo("q_p6");
        assertThat(perStep.decide(part, kombu, Map.of(), Set.of(), NOW)
                        .pgmq
                        .get(0)
                        .queue()
                        .value())
                .isEqualTo("q");
    }

    @Test
    void anUndecodableMessageIsQuarantinedWithItsBytesAndReason() {
        byte[] junk = "not json at all".getBytes(StandardCharsets.UTF_8);
        Plan plan = planner.decide(decoded(planner, junk), routes(RouteMode.PGMQ, 100), Map.of(), Set.of(), NOW);
        assertThat(plan.quarantined).singleElement().satisfies(q -> {
            assertThat(q.reason()).isEqualTo("BAD_ENVELOPE_JSON");
            assertThat(q.raw()).isEqualTo(junk);
        });
    }

    @Test
    void decodingStopsAtTheMemoryBudgetWithAtLeastOneMessage() {
        List<ClaimedMessage> batch = List.of(
                new ClaimedMessage("celery", TestMessages.task(TASK, "a@b.c", "A")),
                new ClaimedMessage("celery", TestMessages.task(TASK, "b@b.c", "B")),
                new ClaimedMessage("celery", TestMessages.task(TASK, "c@b.c", "C")));
        assertThat(planner.decode(batch, 0, 1)).hasSize(1);
        assertThat(planner.decode(batch, 1, 1)).hasSize(1);
        assertThat(planner.decode(batch, 0, Long.MAX_VALUE)).hasSize(3);
    }
}
