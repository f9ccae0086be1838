package io.celerypgmq.bridge.daemon;

import io.celerypgmq.bridge.move.ForwardMover;
import io.celerypgmq.bridge.pump.BridgeSettings;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.resps.ScanResult;

/**
 * Beats this instance's heartbeat and redoes the in-flight batches of instances that went silent (SIGKILL, lost
 * host): each orphaned list is renamed into this instance's recovery list and finished through the same pump logic,
 * where the ledger keeps anything already sent from being sent again.
 */
final class OrphanReclaimer {
    private static final Logger LOG = LoggerFactory.getLogger(OrphanReclaimer.class);

    private final UnifiedJedis redis;
    private final Heartbeats heartbeats;
    private final BridgeSettings settings;
    private final ForwardMover recovery;

    OrphanReclaimer(UnifiedJedis redis, Heartbeats heartbeats, BridgeSettings settings, ForwardMover recovery) {
        this.redis = redis;
        this.heartbeats = heartbeats;
        this.settings = settings;
        this.recovery = recovery;
    }

    /** One maintenance pass; returns true when it redid an orphaned batch (so it runs again at once). */
    boolean runOnce() {
        heartbeats.beat();
        recovery.redo(); // a previous reclaim interrupted by a crash of this instance
        Set<String> live = new HashSet<>(heartbeats.live(settings.heartbeatTimeoutSeconds()));
        live.add(settings.instanceId());
        String cursor = ScanParams.SCAN_POINTER_START;
        ScanParams match =
                new ScanParams().match(BridgeDaemon.IN_FLIGHT_PREFIX + "*").count(500);
        boolean redid = false;
        do {
            ScanResult<String> page = redis.scan(cursor, match);
            for (String key : page.getResult()) {
                String owner = ownerOf(key);
                if (owner != null
                        && !live.contains(owner)
                        && recovery.inFlight().takeOver(key)) {
                    ForwardMover.Moved pass = recovery.redo();
                    LOG.warn(
                            "[bridge] redid {} messages left in flight by dead instance {} ({})",
                            pass.messages(),
                            owner,
                            key);
                    heartbeats.forget(owner);
                    redid = true;
                }
            }
            cursor = page.getCursor();
        } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
        return redid;
    }

    /** {@code celery-pgmq:inflight:<instance>:<pump>} → instance. */
    static String ownerOf(String key) {
        String rest = key.substring(BridgeDaemon.IN_FLIGHT_PREFIX.length());
        int colon = rest.lastIndexOf(':');
        return colon <= 0 ? null : rest.substring(0, colon);
    }
}
