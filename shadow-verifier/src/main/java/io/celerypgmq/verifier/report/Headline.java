package io.celerypgmq.verifier.report;

import io.celerypgmq.verifier.format.Formats;

/** The few lines every format opens with: the gate, the window, the overall counts. */
final class Headline {
    private Headline() {}

    static String title() {
        return "celery-pgmq verification";
    }

    static String window(Report r) {
        return "Window: "
                + (r.window().since() == null
                        ? "from the first entry"
                        : Formats.time(r.window().since()))
                + " → " + Formats.time(r.window().until()) + (r.taskFilter() == null ? "" : " · task " + r.taskFilter())
                + " · generated " + Formats.time(r.generatedAt());
    }

    static String gate(Report r) {
        long failed = r.criteria().stream()
                .filter(c -> c.verdict() == io.celerypgmq.verifier.criteria.Verdict.FAIL)
                .count();
        return "Gate: " + r.gate().label() + (failed > 0 ? " — " + failed + " criterion result(s) failed" : "");
    }

    static String totals(Report r) {
        return r.totals().enqueued() + " ledger entries · " + r.totals().missing() + " missing · "
                + r.coverage().trackedQueues() + " queue(s) with a completion log · "
                + r.coverage().samples()
                + " watch samples";
    }
}
