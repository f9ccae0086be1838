package io.celerypgmq.cli;

import io.celerypgmq.config.ConnectionSettings;
import io.celerypgmq.config.Setting;
import java.util.ArrayList;
import java.util.List;

/** Every setting of every module, for the generated reference. Modules add their lists here as they grow. */
final class SettingsCatalog {
    private SettingsCatalog() {}

    static List<Setting<?>> all() {
        List<Setting<?>> all = new ArrayList<>(ConnectionSettings.SETTINGS);
        all.addAll(io.celerypgmq.bridge.pump.BridgeSettings.SETTINGS);
        all.add(io.celerypgmq.bridge.route.KombuQueueNames.PREFIX);
        all.addAll(io.celerypgmq.verifier.VerifierSettings.SETTINGS);
        all.addAll(io.celerypgmq.bridge.dashboard.DashboardSettings.SETTINGS);
        all.addAll(io.celerypgmq.replay.ReplaySettings.SETTINGS);
        all.addAll(io.celerypgmq.rollout.RolloutSettings.SETTINGS);
        return List.copyOf(all);
    }
}
