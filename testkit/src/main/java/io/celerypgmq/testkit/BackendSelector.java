package io.celerypgmq.testkit;

import io.celerypgmq.config.Secrets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks one backend for a store by trying each kind in order, or only the forced one. Logic only: the probes are
 * injected, so tests can exercise every outcome without stopping real services.
 */
final class BackendSelector<T> {
    static final String FORCE_KEY = "CELERY_PGMQ_TEST_BACKEND";
    private static final Logger log = LoggerFactory.getLogger(BackendSelector.class);

    private final String store;
    private final Map<BackendKind, BackendProbe<T>> probes;
    private final UnaryOperator<String> settings;
    private final String hint;

    /**
     * @param store what is selected, for messages ("Postgres", "Redis")
     * @param probes one probe per kind, tried in {@link BackendKind} order
     * @param settings reads a setting (system property, then environment); returns null when unset
     * @param hint what a user can do when nothing works
     */
    BackendSelector(
            String store, Map<BackendKind, BackendProbe<T>> probes, UnaryOperator<String> settings, String hint) {
        this.store = store;
        this.probes = new LinkedHashMap<>(probes);
        this.settings = settings;
        this.hint = hint;
    }

    T select() {
        String forced = settings.apply(FORCE_KEY);
        List<BackendKind> order = new ArrayList<>();
        if (forced != null && !forced.isBlank()) {
            order.add(BackendKind.fromSetting(FORCE_KEY, forced));
        } else {
            for (BackendKind kind : BackendKind.values()) {
                if (probes.containsKey(kind)) {
                    order.add(kind);
                }
            }
        }
        List<String> tried = new ArrayList<>();
        for (BackendKind kind : order) {
            BackendProbe<T> probe = probes.get(kind);
            if (probe == null) {
                tried.add(kind.settingValue() + ": not supported for " + store);
                continue;
            }
            try {
                T server = probe.open();
                log.info("testkit: {} for tests: {} ({})", store, server, kind.settingValue());
                return server;
            } catch (BackendProbe.Unavailable e) {
                tried.add(kind.settingValue() + ": " + Secrets.mask(e.getMessage()));
            } catch (Exception | LinkageError e) {
                tried.add(kind.settingValue() + ": failed: " + Secrets.mask(String.valueOf(e)));
                log.warn("testkit: {} backend '{}' failed", store, kind.settingValue(), e);
                if (kind == BackendKind.ENV) {
                    break; // an explicitly configured URL that fails must not be silently replaced
                }
            }
        }
        throw new NoTestBackendException(failureMessage(forced, tried));
    }

    private String failureMessage(String forced, List<String> tried) {
        StringBuilder text = new StringBuilder("No ").append(store).append(" for tests");
        if (forced != null && !forced.isBlank()) {
            text.append(" (")
                    .append(FORCE_KEY)
                    .append('=')
                    .append(forced.trim())
                    .append(" forces one choice)");
        }
        if ("true".equalsIgnoreCase(settings.apply("CI"))) {
            text.append("; CI=true, so tests needing it fail instead of being skipped");
        }
        text.append(". Tried: ").append(String.join("; ", tried)).append(". ").append(hint);
        return text.toString();
    }
}
