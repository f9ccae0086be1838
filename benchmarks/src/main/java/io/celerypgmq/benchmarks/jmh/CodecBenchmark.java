package io.celerypgmq.benchmarks.jmh;

import io.celerypgmq.benchmarks.env.BenchEnv;
import io.celerypgmq.benchmarks.env.MessageFactory;
import io.celerypgmq.benchmarks.scenario.BridgeParts;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.codec.EncodeTarget;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.bridge.move.ClaimedMessage;
import io.celerypgmq.bridge.move.ForwardMover;
import io.celerypgmq.bridge.move.ForwardOutcome;
import io.celerypgmq.bridge.move.ForwardRules;
import io.celerypgmq.bridge.move.MessageRebuilder;
import io.celerypgmq.bridge.pgmq.PgmqMessage;
import io.celerypgmq.bridge.pump.PgmqPayloads;
import io.celerypgmq.bridge.route.PayloadFormat;
import io.celerypgmq.bridge.route.RouteMode;
import io.celerypgmq.bridge.route.RouteTable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU side of the forward and reverse paths, per ~1.2 KB protocol-2 message, without any I/O: decode, encode
 * (unchanged → original bytes; retargeted → written afresh), the pgmq payload and headers, and planning a whole
 * claimed batch of 100 (decode + route + payloads: everything the pump does between Redis and Postgres).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class CodecBenchmark {
    public static final int PLAN_BATCH = 100;

    private CeleryCodec codec;
    private byte[] raw;
    private CeleryMessage decoded;
    private EncodeTarget sameQueue;
    private EncodeTarget otherQueue;
    private PgmqPayloads payloads;
    private ForwardRules rules;
    private List<ClaimedMessage> batch;
    private RouteTable taskRoutes;
    private RouteTable kombuRoutes;
    private String taskMessage;
    private String taskHeaders;
    private PgmqMessage taskRow;
    private Map<String, byte[]> keptEnvelopes;
    private MessageRebuilder rebuilder;

    @Setup
    public void setUp() {
        codec = new CeleryCodec(CodecOptions.defaults());
        MessageFactory messages = new MessageFactory(codec, BenchEnv.SOURCE, 7);
        raw = messages.next();
        decoded = codec.decode(raw, BenchEnv.SOURCE);
        UUID tag = UUID.randomUUID();
        sameQueue = EncodeTarget.of(BenchEnv.SOURCE, () -> tag);
        otherQueue = EncodeTarget.of(BenchEnv.WORKERS, () -> tag);
        payloads = new PgmqPayloads(Map.of(), true);
        rules = BridgeParts.rules(codec, PriorityKeys.defaults(), true);
        batch = new ArrayList<>();
        for (int i = 0; i < PLAN_BATCH; i++) {
            batch.add(new ClaimedMessage(BenchEnv.SOURCE, messages.next()));
        }
        taskRoutes = BridgeParts.routes(RouteMode.PGMQ, PayloadFormat.TASK);
        kombuRoutes = BridgeParts.routes(RouteMode.PGMQ, PayloadFormat.KOMBU);
        taskMessage = payloads.message(decoded, raw, PayloadFormat.TASK);
        taskHeaders = payloads.headers(decoded, BenchEnv.SOURCE, "pgmq", PayloadFormat.TASK);
        taskRow = new PgmqMessage(1, 1, Instant.now(), Instant.now(), Instant.now(), taskMessage, taskHeaders);
        keptEnvelopes = Map.of(decoded.identity(), raw);
        rebuilder = new MessageRebuilder(codec, Map.of());
    }

    @Benchmark
    public CeleryMessage decode() {
        return codec.decode(raw, BenchEnv.SOURCE);
    }

    @Benchmark
    public byte[] encodeUnchanged() {
        return codec.encode(decoded, sameQueue);
    }

    @Benchmark
    public byte[] encodeRetargeted() {
        return codec.encode(decoded, otherQueue);
    }

    @Benchmark
    public String taskPayload() {
        return payloads.message(decoded, raw, PayloadFormat.TASK);
    }

    @Benchmark
    public String taskHeaders() {
        return payloads.headers(decoded, BenchEnv.SOURCE, "pgmq", PayloadFormat.TASK);
    }

    /**
     * The reverse pump's rebuild of one task-format message whose envelope the ledger kept (handed over as the ledger
     * look-up would): parse headers, decode the envelope, give it a new tag, validate it.
     */
    @Benchmark
    public MessageRebuilder.Rebuilt reverseRebuild() {
        return rebuilder.rebuild(taskRow, BenchEnv.QUEUE.value(), BenchEnv.WORKERS, keptEnvelopes);
    }

    @Benchmark
    public ForwardOutcome planBatchOf100Task() {
        return ForwardMover.decideOnly(rules, batch, taskRoutes, Instant.now());
    }

    @Benchmark
    public ForwardOutcome planBatchOf100Kombu() {
        return ForwardMover.decideOnly(rules, batch, kombuRoutes, Instant.now());
    }
}
