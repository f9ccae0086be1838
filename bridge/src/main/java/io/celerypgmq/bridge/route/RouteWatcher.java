package io.celerypgmq.bridge.route;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a current {@link RouteTable} for a running bridge: polls the route version and swaps in a freshly loaded
 * table when it changes, so every instance applies a change within {@link #POLL_INTERVAL} plus one query.
 */
public final class RouteWatcher implements AutoCloseable {
    public static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Logger LOG = LoggerFactory.getLogger(RouteWatcher.class);

    private final RouteStore store;
    private final AtomicReference<RouteTable> current;
    private final ScheduledExecutorService timer;

    private RouteWatcher(RouteStore store) {
        this.store = store;
        this.current = new AtomicReference<>(store.load());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "route-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    /** Loads the routes now and starts watching them. */
    public static RouteWatcher start(RouteStore store) {
        RouteWatcher watcher = new RouteWatcher(store);
        long millis = POLL_INTERVAL.toMillis();
        watcher.timer.scheduleWithFixedDelay(watcher::poll, millis, millis, TimeUnit.MILLISECONDS);
        return watcher;
    }

    public RouteTable current() {
        return current.get();
    }

    void poll() {
        try {
            long version = store.version();
            if (version != current.get().version()) {
                RouteTable table = store.load();
                current.set(table);
                LOG.info(
                        "[routes] applied route version {} ({} routes)",
                        table.version(),
                        table.routes().size());
            }
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // Keep routing with the last good table; a database blip must not stop the bridge. An error escaping here
            // would end the schedule without a word, and the routes would stop following the store.
            LOG.warn(
                    "[routes] could not refresh routes, keeping version {}: {}",
                    current.get().version(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
