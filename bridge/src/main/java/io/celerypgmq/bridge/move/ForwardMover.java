package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.ledger.Ledger;
import io.celerypgmq.bridge.ledger.LedgerException;
import io.celerypgmq.bridge.ledger.LedgerRecord;
import io.celerypgmq.bridge.pgmq.PgmqClient;
import io.celerypgmq.bridge.route.RouteTable;
import io.celerypgmq.bridge.store.Futures;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import javax.sql.DataSource;
import redis.clients.jedis.UnifiedJedis;

/**
 * The forward batch protocol, the one every hop from Redis to pgmq runs (the bridge's pump, its orphan redo, replay's
 * drain): take a batch into the in-flight list, decode and decide it, hand it to Postgres in one transaction, then push
 * the Celery-routed messages and forget the batch in one Redis script. DESIGN invariants 1–3 and 7–9 hold at every point
 * where the process can die.
 *
 * <ul>
 *   <li>A batch redone after a crash ({@link #redo}) is decided by what the ledger committed for it: a message whose
 *       first decision committed is finished by that decision whatever the routes say now; only one with no committed
 *       record is decided afresh.
 *   <li>A batch is handled in parts whose decoded messages weigh at most a memory budget, so a batch of large (or
 *       inflating) messages cannot exhaust the heap; each part is forgotten from the in-flight list's tail after its
 *       own commit.
 *   <li>Pipelined ({@code batches > 1}), the next part is taken and decided while the writer thread hands this one
 *       over; the in-flight list then holds two batches at most, and whatever a crash or a failed write leaves there is
 *       redone by the next pass.
 * </ul>
 */
public final class ForwardMover implements AutoCloseable {
    /** Parts a mover writes per pass by default, overlapping take and decide with the hand-off (one pass ≈ 50 ms). */
    public static final int BATCHES_PER_PASS = 8;
    /** The share of the heap one part of a batch may hold decoded; two parts are in hand while pipelined. */
    static final int HEAP_SHARE_PER_PART = 8;

    private static final int ATTEMPTS = 3;

    private final UnifiedJedis redis;
    private final InFlightList inFlight;
    private final Planner planner;
    private final HandOff handOff;
    private final Supplier<RouteTable> routes;
    private final Clock clock;
    private final ForwardListener listener;
    private final int batchSize;
    private final long partBudget;
    private final Pipeline pipeline;
    private ExecutorService committer;

    /**
     * @param instance the ledger's {@code instance} column for what this mover writes (bridge instance, replay job)
     */
    public ForwardMover(
            DataSource db,
            UnifiedJedis redis,
            InFlightList inFlight,
            ForwardRules rules,
            Supplier<RouteTable> routes,
            int batchSize,
            String instance,
            Clock clock,
            ForwardListener listener) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, was " + batchSize);
        }
        this.redis = redis;
        this.inFlight = inFlight;
        this.planner = new Planner(rules);
        this.handOff = new HandOff(db, new PgmqClient(db), instance, clock, listener);
        this.routes = routes;
        this.clock = clock;
        this.listener = listener;
        this.batchSize = batchSize;
        this.partBudget = Runtime.getRuntime().maxMemory() / HEAP_SHARE_PER_PART;
        this.pipeline = new Pipeline("forward-writer " + inFlight.key());
    }

    /** What a call moved: parts written, messages they held, and whether any was a redo. */
    public record Moved(int parts, int messages, boolean redo) {
        public static final Moved NONE = new Moved(0, 0, false);

        public boolean idle() {
            return messages == 0;
        }

        Moved plus(ForwardOutcome o) {
            return new Moved(parts + 1, messages + o.messages(), redo || o.redo());
        }
    }

    public InFlightList inFlight() {
        return inFlight;
    }

    /**
     * One pass: redoes what a crash left in the in-flight list if anything, else takes up to {@code batches} batches
     * through {@code intake} (pipelined when {@code batches > 1}). Returns when every part it started is finished.
     */
    public Moved runOnce(ForwardIntake intake, int batches) {
        Moved redone = redo();
        if (!redone.idle()) {
            return redone;
        }
        return move(intake, batches);
    }

    /** Finishes only what is in the in-flight list now, following what the ledger committed for it. */
    public Moved redo() {
        List<ClaimedMessage> pending = inFlight.pending();
        if (pending.isEmpty()) {
            return Moved.NONE;
        }
        listener.claimed(pending.size(), true);
        Moved moved = Moved.NONE;
        for (int from = 0; from < pending.size(); ) {
            long start = System.nanoTime();
            List<Decoded> part = planner.decode(pending, from, partBudget);
            from += part.size();
            moved = moved.plus(finish(write(prepare(part, true, start))));
        }
        return moved;
    }

    /**
     * Takes up to {@code batches} batches through {@code intake} and moves them; above 1, pipelined in three stages:
     * this thread takes and decides part N + 2 while the writer thread runs part N + 1's statement and the committer
     * thread commits part N (its WAL flush) and finishes it in Redis. Commits and finishes keep the claim order; a
     * failed commit leaves the parts behind it uncommitted, in flight for the next pass.
     */
    public Moved move(ForwardIntake intake, int batches) {
        Reader reader = new Reader(intake, batches);
        List<ForwardOutcome> done = new ArrayList<>();
        if (batches == 1) {
            for (Part p = reader.next(); p != null; p = reader.next()) {
                done.add(finish(write(p)));
            }
        } else {
            Commits commits = new Commits();
            try {
                pipeline.overlap(Integer.MAX_VALUE, reader::next, p -> commits.submit(write(p)), f -> {}, p -> {});
            } catch (RuntimeException | Error e) {
                commits.settle();
                throw e;
            }
            done.addAll(commits.awaitAll());
        }
        Moved moved = Moved.NONE;
        for (ForwardOutcome o : done) {
            moved = moved.plus(o);
        }
        return moved;
    }

    /** The commits a pipelined call has handed to the committer thread, in claim order. */
    private final class Commits {
        private final List<Future<ForwardOutcome>> pending = new ArrayList<>();
        private final AtomicBoolean failed = new AtomicBoolean();

        /** Hands a written part to the committer; at most two wait there, so the writer never runs far ahead. */
        Future<ForwardOutcome> submit(Written w) {
            if (pending.size() >= 2) {
                Futures.settle(pending.get(pending.size() - 2)); // its failure, if any, is reported by awaitAll
            }
            Future<ForwardOutcome> f = committer().submit(() -> {
                if (failed.get()) {
                    w.written().abandon(); // an earlier part's commit failed: this one must not commit past it
                    throw new IllegalStateException("a batch before this one failed to commit; it stays in flight");
                }
                try {
                    return finish(w);
                } catch (RuntimeException | Error e) {
                    failed.set(true);
                    throw e;
                }
            });
            pending.add(f);
            return f;
        }

        List<ForwardOutcome> awaitAll() {
            List<ForwardOutcome> out = new ArrayList<>(pending.size());
            RuntimeException firstFailure = null;
            for (Future<ForwardOutcome> f : pending) {
                try {
                    out.add(Futures.await(f));
                } catch (RuntimeException e) {
                    if (firstFailure == null) {
                        firstFailure = e;
                    }
                }
            }
            if (firstFailure != null) {
                throw firstFailure;
            }
            return out;
        }

        void settle() {
            failed.set(true);
            pending.forEach(Futures::settle);
        }
    }

    private synchronized ExecutorService committer() {
        if (committer == null) {
            committer = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "forward-committer " + inFlight.key());
                t.setDaemon(true);
                return t;
            });
        }
        return committer;
    }

    /**
     * What moving {@code batch} would do, with nothing written anywhere: decoded, looked up in the ledger (when
     * {@code ledgerPresent}) and decided as a redo would be. For dry runs.
     */
    public ForwardOutcome preview(List<ClaimedMessage> batch, boolean ledgerPresent) {
        long start = System.nanoTime();
        List<Decoded> decoded = planner.decode(batch, 0, Long.MAX_VALUE);
        Instant now = clock.instant();
        RouteTable table = routes.get();
        Map<String, LedgerRecord> records = ledgerPresent ? lookUp(decoded) : Map.of();
        Decision d = decide(decoded, table, records, now, ledgerPresent);
        return outcome(false, decoded.size(), d, new HandOff.Result(0, 0, List.of(), Set.of()), start, true);
    }

    /**
     * What the engine decides for {@code batch} under {@code routes}, with no store at all: decoded and routed as a
     * batch no ledger has seen. Pure; for benchmarks of the planning and for tools that show what would happen.
     */
    public static ForwardOutcome decideOnly(
            ForwardRules rules, List<ClaimedMessage> batch, RouteTable routes, Instant now) {
        long start = System.nanoTime();
        Planner planner = new Planner(rules);
        List<Decoded> decoded = planner.decode(batch, 0, Long.MAX_VALUE);
        Plan plan = planner.decide(decoded, routes, Map.of(), Set.of(), now);
        return outcome(
                false,
                decoded.size(),
                new Decision(plan, 0),
                new HandOff.Result(0, 0, List.of(), Set.of()),
                start,
                false);
    }

    /** A part of a batch, decided, ready to be written. */
    private record Part(
            List<Decoded> decoded, boolean redo, RouteTable routes, Instant now, Decision decision, long start) {}

    /** A plan and how many messages went on under renewed identities to make it. */
    private record Decision(Plan plan, int renewed) {}

    /** Takes batches and cuts them into parts, on the mover's own thread. */
    private final class Reader {
        private final ForwardIntake intake;
        private final int batches;
        private int taken;
        private List<ClaimedMessage> batch = List.of();
        private int from;

        Reader(ForwardIntake intake, int batches) {
            this.intake = intake;
            this.batches = batches;
        }

        Part next() {
            long start = System.nanoTime();
            if (from >= batch.size()) {
                if (taken >= batches) {
                    return null;
                }
                batch = intake.take(inFlight, batchSize);
                from = 0;
                taken++;
                listener.stage(ForwardListener.Stage.CLAIM, System.nanoTime() - start);
                if (batch.isEmpty()) {
                    taken = batches;
                    return null;
                }
                listener.claimed(batch.size(), false);
            }
            List<Decoded> part = planner.decode(batch, from, partBudget);
            from += part.size();
            return prepare(part, false, start);
        }
    }

    private Part prepare(List<Decoded> part, boolean redo, long start) {
        long began = System.nanoTime();
        RouteTable table = routes.get();
        Instant now = clock.instant();
        Map<String, LedgerRecord> records = redo ? lookUp(part) : Map.of();
        Part p = new Part(part, redo, table, now, decide(part, table, records, now, true), start);
        listener.stage(ForwardListener.Stage.DECODE_AND_PLAN, System.nanoTime() - began);
        return p;
    }

    /** A part written, its transaction open, with the decision it was written by. */
    private record Written(Part part, Decision decision, HandOff.Written written) {}

    /** Writes a part without committing it, deciding again with the ledger's records if an identity turns out taken. */
    private Written write(Part p) {
        Decision decision = p.decision();
        for (int attempt = 1; ; attempt++) {
            try {
                return new Written(p, decision, handOff.begin(decision.plan()));
            } catch (HandOff.IdentityTaken e) {
                if (attempt == ATTEMPTS) {
                    throw new IllegalStateException(
                            "the identities of a batch of " + p.decoded().size()
                                    + " messages kept appearing in the ledger under it; it stays in flight for a redo");
                }
                decision = decide(p.decoded(), p.routes(), lookUp(p.decoded()), p.now(), true);
            }
        }
    }

    /** Commits a written part, then pushes its Celery side and forgets it in Redis: only after the commit. */
    private ForwardOutcome finish(Written w) {
        Part p = w.part();
        HandOff.Result result = w.written().commit();
        long began = System.nanoTime();
        inFlight.finishOldest(w.decision().plan().celery, p.decoded().size());
        listener.stage(ForwardListener.Stage.FINISH, System.nanoTime() - began);
        ForwardOutcome outcome = outcome(p.redo(), p.decoded().size(), w.decision(), result, p.start(), false);
        listener.moved(outcome);
        return outcome;
    }

    /**
     * Decides a part; a message whose recorded identity belongs to another delivery is renewed (a new delivery tag,
     * derived from the record) and decided again, with what the ledger has for the new identity.
     */
    private Decision decide(
            List<Decoded> part, RouteTable table, Map<String, LedgerRecord> records, Instant now, boolean lookUps) {
        Plan plan = planner.decide(part, table, records, wentBack(records), now);
        int renewed = 0;
        for (int round = 0; round < 2 && !plan.renewals.isEmpty(); round++) {
            List<Decoded> again = new ArrayList<>();
            for (Plan.Renewal r : plan.renewals) {
                byte[] retagged = MessageRebuilder.tryRetag(r.from().raw(), UUID.fromString(r.newTag()));
                if (retagged == null) {
                    plan.duplicates++; // no delivery tag to renew: the recorded decision stands
                } else {
                    again.add(planner.renew(r.from(), retagged));
                }
            }
            plan.renewals.clear();
            renewed += again.size();
            Map<String, LedgerRecord> more = lookUps ? lookUp(again) : Map.of();
            plan.absorb(planner.decide(again, table, more, wentBack(more), now));
        }
        return new Decision(plan, renewed);
    }

    /** What the ledger committed for the identities of {@code part}. */
    private Map<String, LedgerRecord> lookUp(List<Decoded> part) {
        List<String> identities = new ArrayList<>(part.size());
        for (Decoded d : part) {
            if (d.identity() != null) {
                identities.add(d.identity());
            }
        }
        if (identities.isEmpty()) {
            return Map.of();
        }
        try (Connection c = handOff.dataSource().getConnection()) {
            return Ledger.records(c, identities);
        } catch (SQLException e) {
            throw new LedgerException("looking up " + identities.size() + " identities in the ledger", e);
        }
    }

    /** The recorded identities whose pgmq copy has gone back to Celery since (its once-only marker exists). */
    private Set<String> wentBack(Map<String, LedgerRecord> records) {
        Set<String> out = new HashSet<>();
        for (LedgerRecord r : records.values()) {
            if (r.pgmqMsgId() != null && redis.exists(ReverseMover.markerKey(r.pgmqQueue(), r.pgmqMsgId()))) {
                out.add(r.identity());
            }
        }
        return out;
    }

    private static ForwardOutcome outcome(
            boolean redo, int messages, Decision d, HandOff.Result result, long start, boolean preview) {
        Plan plan = d.plan();
        List<ForwardOutcome.Sent> sent = new ArrayList<>(plan.pgmq.size());
        int expired = 0;
        for (Outgoing o : plan.pgmq) {
            if (result.poisonedItems().contains(o)) {
                continue;
            }
            if (!o.isSent()) {
                expired++;
                continue;
            }
            sent.add(new ForwardOutcome.Sent(
                    o.entry().identity(),
                    o.entry().taskName(),
                    o.entry().sourceKey(),
                    o.queue().value(),
                    o.entry().eta(),
                    o.delay() instanceof io.celerypgmq.bridge.pgmq.Delay.Until));
        }
        List<io.celerypgmq.bridge.ledger.QuarantineEntry> quarantined = new ArrayList<>(plan.quarantined);
        quarantined.addAll(result.poisoned());
        return new ForwardOutcome(
                redo,
                messages,
                sent,
                expired,
                plan.duplicates,
                plan.finishedOnCelery,
                plan.collisions,
                quarantined,
                plan.celery,
                d.renewed(),
                plan.flow.snapshot(),
                preview ? 0 : System.nanoTime() - start);
    }

    /** Stops the writer and committer threads; call between passes. */
    @Override
    public void close() {
        pipeline.close();
        synchronized (this) {
            if (committer != null) {
                committer.shutdown();
                try {
                    committer.awaitTermination(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                committer = null;
            }
        }
    }
}
