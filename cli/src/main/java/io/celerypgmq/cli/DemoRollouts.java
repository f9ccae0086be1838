package io.celerypgmq.cli;

import io.celerypgmq.rollout.Rollout;
import io.celerypgmq.rollout.RolloutQueries;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The demo's autopilot: one rollout that reaches 100 % with no hand on it, and one that aborts on its own when the
 * demo's pgmq worker starts failing its task type, followed by a reconciliation by task id showing nothing was lost.
 */
final class DemoRollouts {
    static final String REPORT = "generate_user_report";
    static final String CLEANUP = "cleanup_inactive_users";

    /** Runs a command as the user would type it and prints it with its output. */
    @FunctionalInterface
    interface Shell {
        DemoStack.CommandResult show(String... args);
    }

    private final DemoStack stack;
    private final DemoTraffic traffic;
    private final DemoWorkers workers;
    private final DemoCommand.Narrator say;
    private final Shell shell;
    private final String hold;

    DemoRollouts(
            DemoStack stack,
            DemoTraffic traffic,
            DemoWorkers workers,
            DemoCommand.Narrator say,
            Shell shell,
            boolean quick) {
        this.stack = stack;
        this.traffic = traffic;
        this.workers = workers;
        this.say = say;
        this.shell = shell;
        this.hold = quick ? "2s" : "5s";
    }

    void walk() throws InterruptedException {
        say.step("Roll out " + REPORT + " on autopilot: shadow, then 25 % and 100 %, each held " + hold
                + " and judged by the verifier");
        say.detail("the bridge drives it; --wait prints each step as it happens");
        shell.show(
                "rollout",
                "start",
                REPORT,
                "--queue",
                "user_tasks",
                "--shadow",
                hold,
                "--steps",
                "25,100",
                "--hold",
                hold,
                "--celery-queue",
                DemoStack.CELERY_TARGET,
                "--reason",
                "demo: autopilot",
                "--wait");
        shell.show("status");

        say.step("Roll out " + CLEANUP + " too; once it reaches 50 % the demo's pgmq worker starts failing it");
        shell.show(
                "rollout",
                "start",
                CLEANUP,
                "--queue",
                "user_tasks",
                "--shadow",
                hold,
                "--steps",
                "10,50,100",
                "--hold",
                hold,
                "--celery-queue",
                DemoStack.CELERY_TARGET,
                "--reason",
                "demo: this one will abort");
        RolloutQueries store = new RolloutQueries(stack.db);
        until(store, r -> r.stepIndex() >= 1 || r.state().finished());
        workers.failPgmq(CLEANUP, true);
        say.detail("the pgmq worker now dead-letters every " + CLEANUP + " task into user_tasks_dlq");
        until(store, r -> r.state().finished());
        shell.show("rollout", "status", CLEANUP);
        workers.failPgmq(CLEANUP, false);
        reconcile(CLEANUP);
    }

    private static void until(RolloutQueries store, Predicate<Rollout> done) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
        while (Instant.now().isBefore(deadline)) {
            if (store.latest(CLEANUP).filter(done).isPresent()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the " + CLEANUP + " rollout did not get there within 90 s");
    }

    /** Every task of {@code task} produced so far, by id: ran once, on Celery or on pgmq? */
    private void reconcile(String task) throws InterruptedException {
        traffic.pause(true);
        List<String> ids = traffic.ids(task);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline) && ids.stream().anyMatch(id -> runs(id) == 0)) {
            Thread.sleep(200);
        }
        long lost = ids.stream().filter(id -> runs(id) == 0).count();
        long twice = ids.stream().filter(id -> runs(id) > 1).count();
        long onPgmq = ids.stream().filter(workers.pgmqRuns::containsKey).count();
        long rerun = ids.stream()
                .filter(id -> workers.deadLettered.containsKey(id) && workers.celeryRuns.containsKey(id))
                .count();
        say.detail("reconciled by task id: " + ids.size() + " " + task + " tasks produced; " + (ids.size() - onPgmq)
                + " ran on Celery (" + rerun + " of them dead-lettered by the failing worker and moved back by the"
                + " rollback), " + onPgmq + " on pgmq; lost " + lost + ", ran twice " + twice);
        traffic.pause(false);
    }

    private long runs(String id) {
        return count(workers.celeryRuns, id) + count(workers.pgmqRuns, id);
    }

    private static long count(Map<String, AtomicLong> runs, String id) {
        AtomicLong n = runs.get(id);
        return n == null ? 0 : n.get();
    }
}
