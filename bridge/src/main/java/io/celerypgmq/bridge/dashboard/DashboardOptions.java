package io.celerypgmq.bridge.dashboard;

import io.celerypgmq.bridge.codec.PriorityKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the dashboard looks and whether it may change anything.
 *
 * @param keys Celery's key layout (priority steps, separator, {@code global_keyprefix})
 * @param celeryQueues the Celery queues to show; empty shows every queue found in Redis
 * @param routeToken the bearer token that allows route changes from the page; {@code null} keeps it read-only
 * @param routeTokenOwner who a change made with the token is recorded as in the route history (the request cannot
 *     say: whoever holds the token could write any name)
 * @param dlqSuffix pgmq DLQ naming: the DLQ of {@code q} is {@code q + dlqSuffix} (the seeds' {@code _dlq})
 * @param historyLimit how many route changes to show
 * @param cacheFor how long one computed state is served, so many open pages do not multiply the queries
 * @param verdicts the verifier's last verdict, if any
 */
public record DashboardOptions(
        PriorityKeys keys,
        List<String> celeryQueues,
        String routeToken,
        String routeTokenOwner,
        String dlqSuffix,
        int historyLimit,
        Duration cacheFor,
        Clock clock,
        VerdictSource verdicts) {
    public static final String DEFAULT_DLQ_SUFFIX = "_dlq";
    public static final String DEFAULT_TOKEN_OWNER = "dashboard";
    public static final int DEFAULT_HISTORY_LIMIT = 20;
    public static final Duration DEFAULT_CACHE = Duration.ofSeconds(1);
    /** Shorter tokens are refused: the token is all that guards route changes. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public DashboardOptions {
        Objects.requireNonNull(keys, "keys");
        celeryQueues = List.copyOf(celeryQueues);
        Objects.requireNonNull(dlqSuffix, "dlqSuffix");
        Objects.requireNonNull(routeTokenOwner, "routeTokenOwner");
        if (routeTokenOwner.isBlank()) {
            throw new IllegalArgumentException("the dashboard token's owner must not be blank");
        }
        Objects.requireNonNull(cacheFor, "cacheFor");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(verdicts, "verdicts");
        if (routeToken != null && routeToken.length() < MIN_TOKEN_LENGTH) {
            throw new IllegalArgumentException(
                    "the dashboard route token must be at least " + MIN_TOKEN_LENGTH + " characters");
        }
        if (dlqSuffix.isEmpty()) {
            throw new IllegalArgumentException("the DLQ suffix must not be empty");
        }
        if (historyLimit < 1 || historyLimit > 1000) {
            throw new IllegalArgumentException("history limit must be within 1..1000, got " + historyLimit);
        }
    }

    /** Read-only, every queue found, the seeds' DLQ naming, no verdict. */
    public static DashboardOptions readOnly(PriorityKeys keys) {
        return new DashboardOptions(
                keys,
                List.of(),
                null,
                DEFAULT_TOKEN_OWNER,
                DEFAULT_DLQ_SUFFIX,
                DEFAULT_HISTORY_LIMIT,
                DEFAULT_CACHE,
                Clock.systemUTC(),
                VerdictSource.none());
    }

    public boolean allowsRouteChanges() {
        return routeToken != null;
    }

    public DashboardOptions withCeleryQueues(List<String> value) {
        return new DashboardOptions(
                keys, value, routeToken, routeTokenOwner, dlqSuffix, historyLimit, cacheFor, clock, verdicts);
    }

    public DashboardOptions withRouteToken(String value) {
        return new DashboardOptions(
                keys, celeryQueues, value, routeTokenOwner, dlqSuffix, historyLimit, cacheFor, clock, verdicts);
    }

    public DashboardOptions withRouteTokenOwner(String value) {
        return new DashboardOptions(
                keys, celeryQueues, routeToken, value, dlqSuffix, historyLimit, cacheFor, clock, verdicts);
    }

    public DashboardOptions withDlqSuffix(String value) {
        return new DashboardOptions(
                keys, celeryQueues, routeToken, routeTokenOwner, value, historyLimit, cacheFor, clock, verdicts);
    }

    public DashboardOptions withVerdicts(VerdictSource value) {
        return new DashboardOptions(
                keys, celeryQueues, routeToken, routeTokenOwner, dlqSuffix, historyLimit, cacheFor, clock, value);
    }

    public DashboardOptions withClock(Clock value) {
        return new DashboardOptions(
                keys, celeryQueues, routeToken, routeTokenOwner, dlqSuffix, historyLimit, cacheFor, value, verdicts);
    }

    public DashboardOptions withCacheFor(Duration value) {
        return new DashboardOptions(
                keys, celeryQueues, routeToken, routeTokenOwner, dlqSuffix, historyLimit, value, clock, verdicts);
    }

    @Override
    public String toString() {
        // The token never reaches a log.
        return "DashboardOptions[keys=" + keys + ", queues=" + celeryQueues + ", routeChanges="
                + (allowsRouteChanges() ? "on, recorded as " + routeTokenOwner : "off") + ", dlqSuffix=" + dlqSuffix
                + "]";
    }
}
