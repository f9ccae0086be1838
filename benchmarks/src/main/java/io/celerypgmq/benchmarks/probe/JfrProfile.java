package io.celerypgmq.benchmarks.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Samples the JVM with Flight Recorder while a pass runs and says where the pump thread's CPU went: each Java
 * execution sample is charged to the outermost and innermost bridge stages on its stack ({@code validate › envelope
 * JSON parse}), and the hottest leaf methods are listed.
 * Samples of a thread waiting in a socket read (Postgres or Redis answering) are not execution samples; the stage
 * timers account for that wall time.
 */
public final class JfrProfile {
    /** Bridge methods that name a stage, whichever order they nest in. */
    private static final Map<String, String> STAGES = stages();

    /** Shares of the pump thread's sampled CPU, and the hottest methods by self samples. */
    public record Result(
            int samples, Map<String, Double> stagePercent, Map<String, Double> topSelfPercent, String file) {}

    public <T> Result profile(Path file, Supplier<T> pass) {
        Configuration settings;
        try {
            settings = Configuration.getConfiguration("profile");
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("no JFR profile settings in this JDK", e);
        }
        String thread = Thread.currentThread().getName();
        try (Recording recording = new Recording(settings)) {
            recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(5));
            recording.start();
            pass.get();
            recording.stop();
            recording.dump(file);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the JFR recording " + file, e);
        }
        return summarize(file, thread);
    }

    static Result summarize(Path file, String thread) {
        Map<String, Integer> byStage = new LinkedHashMap<>();
        Map<String, Integer> bySelf = new LinkedHashMap<>();
        int samples = 0;
        try {
            for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                if (e.getThread("sampledThread") == null
                        || !thread.equals(e.getThread("sampledThread").getJavaName())) {
                    continue;
                }
                RecordedStackTrace stack = e.getStackTrace();
                if (stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = stack.getFrames();
                bySelf.merge(name(frames.get(0)), 1, Integer::sum);
                byStage.merge(stage(frames), 1, Integer::sum);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the JFR recording " + file, e);
        }
        return new Result(samples, percents(byStage, samples, 20), percents(bySelf, samples, 15), file.toString());
    }

    /** {@code outer › inner}: the outermost and innermost stages on the stack (just one when they are the same). */
    private static String stage(List<RecordedFrame> frames) {
        String inner = null;
        String outer = null;
        for (RecordedFrame f : frames) {
            String stage = STAGES.get(name(f));
            if (stage != null) {
                inner = inner == null ? stage : inner;
                outer = stage;
            }
        }
        if (inner == null) {
            return "other";
        }
        return inner.equals(outer) ? inner : outer + " › " + inner;
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static Map<String, Double> percents(Map<String, Integer> counts, int total, int limit) {
        Map<String, Double> out = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .forEach(e -> out.put(e.getKey(), Math.round(e.getValue() * 1000.0 / Math.max(1, total)) / 10.0));
        return out;
    }

    private static Map<String, String> stages() {
        String p = "io.celerypgmq.bridge.";
        Map<String, String> m = new LinkedHashMap<>();
        m.put(p + "codec.KombuEnvelope.parse", "decode: envelope JSON parse");
        m.put(p + "codec.KombuEnvelope.sha256", "decode: sha256 identity");
        m.put(p + "codec.BodyReader.read", "decode: body (base64 + JSON)");
        m.put(p + "codec.MessageReader.read", "decode: read fields");
        m.put(p + "codec.CeleryCodec.decode", "decode: other");
        m.put(p + "pump.PgmqPayloads.headers", "payload: headers JSON (with envelope)");
        m.put(p + "pump.PgmqPayloads.message", "payload: task JSON");
        m.put(p + "move.Planner.decide", "plan: routing, ledger entry, other");
        m.put(p + "move.Planner.decode", "plan: decode, other");
        m.put(p + "ledger.Ledger.sendAndInsert", "hand-off: send_batch + ledger insert (JDBC client)");
        m.put(p + "ledger.Ledger.existing", "hand-off: ledger look-up on redo (JDBC client)");
        m.put(p + "ledger.FlowCounters.flush", "hand-off: flow counters (JDBC client)");
        m.put(p + "pgmq.ConnectionPgmq.sendBatch", "hand-off: send_batch (JDBC client)");
        m.put(p + "move.HandOff.write", "hand-off: other (commit, pool)");
        m.put(p + "codec.MessageValidator.validate", "reverse: validate the rebuilt message");
        m.put(p + "move.MessageRebuilder.parse", "reverse: parse pgmq headers and payload JSON");
        m.put(p + "move.MessageRebuilder.rebuild", "reverse: rebuild, other");
        m.put(p + "move.OnceOnlyPusher.push", "reverse: LPUSH with markers (client)");
        m.put(p + "pgmq.ConnectionPgmq.read", "reverse: pgmq.read (JDBC client)");
        m.put(p + "pgmq.ConnectionPgmq.archive", "reverse: pgmq.archive (JDBC client)");
        String r = "io.celerypgmq.replay.";
        m.put(r + "Selection.listed", "replay: select (decode to filter)");
        m.put(r + "ListPeek.page", "replay: peek at the list");
        m.put(p + "move.InFlightList.takeListed", "replay: take listed (Lua)");
        m.put(r + "DrainPass.unacked", "replay: scan unacked");
        m.put(r + "JobLease.close", "replay: job lease");
        m.put(p + "move.InFlightList.claim", "redis: claim (client)");
        m.put(p + "move.InFlightList.pending", "redis: pending (client)");
        m.put(p + "move.InFlightList.finish", "redis: finish (client)");
        return m;
    }
}
