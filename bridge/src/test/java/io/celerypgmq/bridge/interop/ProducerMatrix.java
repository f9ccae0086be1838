package io.celerypgmq.bridge.interop;

import io.celerypgmq.testkit.celery.CallSpec;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.Signature;
import io.celerypgmq.testkit.celery.TransportOptions;
import io.celerypgmq.testkit.celery.TypedJson.PyTuple;
import java.math.BigInteger;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** What real Celery publishes for the decoder to read back: groups of calls sharing one producer configuration. */
final class ProducerMatrix {
    static final List<Integer> TEN_STEPS = IntStream.range(0, 10).boxed().toList();

    record Case(String description, CallSpec call) {}

    record Group(String name, PublishOptions options, List<Case> cases) {}

    private ProducerMatrix() {}

    static List<Group> groups() {
        PublishOptions p2 = PublishOptions.defaults();
        PublishOptions p1 = p2.withTaskProtocol(1);
        TransportOptions tenStepsColon =
                TransportOptions.defaults().withPrioritySteps(TEN_STEPS).withSeparator(":");
        return List.of(
                new Group("protocol 2", p2, protocolTwo()),
                new Group("protocol 1", p1, protocolOne()),
                new Group("ten priority steps with sep ':'", p2.withTransport(tenStepsColon), priorities()),
                new Group(
                        "global_keyprefix 'pfx:'",
                        p2.withTransport(TransportOptions.defaults().withGlobalKeyprefix("pfx:")),
                        prefixed()),
                new Group(
                        "global_keyprefix with ten steps and sep ':'",
                        p1.withTransport(tenStepsColon.withGlobalKeyprefix("pfx:")),
                        prefixed()));
    }

    private static List<Case> protocolTwo() {
        List<Case> cases = new ArrayList<>(common());
        for (int priority = 0; priority <= 9; priority++) {
            cases.add(new Case(
                    "priority " + priority,
                    CallSpec.task("tasks.add", priority, 1).priority(priority)));
        }
        cases.add(new Case(
                "priority 15 (above the range)",
                CallSpec.task("tasks.add", 15, 1).priority(15)));
        cases.add(new Case(
                "priority -3 (below the range)",
                CallSpec.task("tasks.add", -3, 1).priority(-3)));
        cases.add(new Case("float countdown", CallSpec.task("tasks.add", 1, 1).countdown(1.5)));
        cases.add(new Case(
                "aware non-UTC eta",
                CallSpec.task("tasks.add", 1, 2).eta(OffsetDateTime.parse("2030-01-01T12:00:00+01:00"))));
        cases.add(new Case(
                "multiple links",
                CallSpec.task("tasks.add", 1, 2)
                        .link(Signature.of("tasks.echo", "cb1"), Signature.of("tasks.mul", 10))));
        cases.add(new Case(
                "time limits",
                CallSpec.task("tasks.add", 1, 2).with("time_limit", 30).with("soft_time_limit", 20)));
        cases.add(new Case("shadow name", CallSpec.task("tasks.add", 1, 2).with("shadow", "add-shadowed-name")));
        cases.add(new Case("unregistered task by name", CallSpec.task("no.such.task", "x")));
        cases.add(new Case(
                "yaml with bytes, big int and an aware datetime",
                CallSpec.task(
                                "tasks.echo",
                                new byte[] {0, 1, (byte) 0xff},
                                "h\u00e9llo \uD83C\uDF89",
                                new BigInteger("1180591620717411303424"),
                                OffsetDateTime.parse("2024-01-02T03:04:05.678901+00:00"),
                                Map.of("k", java.util.Arrays.asList(1L, null, true, 2.5)))
                        .serializer("yaml")));
        cases.add(new Case(
                "pickle with bytes, a tuple and a dict with an int key",
                CallSpec.task(
                                "tasks.echo",
                                new byte[] {0, (byte) 0xff},
                                PyTuple.of(1, 2),
                                Map.of(1, "one"),
                                "\uD83C\uDF89")
                        .serializer("pickle")));
        cases.add(new Case(
                "pickle with an aware datetime",
                CallSpec.task("tasks.echo", OffsetDateTime.parse("2024-01-02T03:04:05.678901+00:00"))
                        .serializer("pickle")));
        cases.add(new Case(
                "gzip + pickle",
                CallSpec.task("tasks.add", 2, 3).serializer("pickle").compression("gzip")));
        cases.add(new Case(
                "bzip2 + msgpack",
                CallSpec.task("tasks.add", 2, 3).serializer("msgpack").compression("bzip2")));
        cases.add(new Case(
                "xz + yaml", CallSpec.task("tasks.add", 2, 3).serializer("yaml").compression("xz")));
        cases.add(new Case(
                "a 100 KB payload, gzip-compressed",
                CallSpec.task("tasks.echo", "y".repeat(100_000)).compression("gzip")));
        return cases;
    }

    /** Calls that must decode the same under protocol 1 and 2. */
    private static List<Case> common() {
        Map<String, Object> unicodeKwargs = new LinkedHashMap<>();
        unicodeKwargs.put("na\u00efve", 1);
        unicodeKwargs.put("\uD83C\uDF89", List.of(1, 2));
        unicodeKwargs.put("nested", Map.of("x", List.of(Map.of("y", "z"))));
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("a", List.of(1, Map.of("b", List.of(2, Map.of("c", "d")))));
        nested.put("e", java.util.Collections.singletonMap("f", null));
        return List.of(
                new Case("add(2, 3)", CallSpec.task("tasks.add", 2, 3)),
                new Case(
                        "unicode and astral strings",
                        CallSpec.task(
                                "tasks.echo",
                                "h\u00e9llo w\u00f6rld",
                                "\uD83C\uDF89 astral \uD834\uDD1E",
                                "\u65e5\u672c\u8a9e",
                                "")),
                new Case(
                        "big integers",
                        CallSpec.task(
                                "tasks.echo",
                                new BigInteger("1180591620717411303424"),
                                new BigInteger("-1180591620717411303424"),
                                Long.MAX_VALUE,
                                Long.MIN_VALUE,
                                0)),
                new Case("floats", CallSpec.task("tasks.echo", 1.5, -0.25, 1e300, 5e-324, 0.1, 1.0)),
                new Case(
                        "booleans, None and empty containers",
                        CallSpec.task("tasks.echo", true, false, null, List.of(), Map.of())),
                new Case("nested structures", CallSpec.task("tasks.echo", nested, List.of(List.of(List.of())))),
                new Case("unicode kwargs", CallSpec.task("tasks.record", List.of(), unicodeKwargs)),
                new Case("a 100 KB string", CallSpec.task("tasks.echo", "x".repeat(100_000))),
                new Case("a 100 KB unicode string", CallSpec.task("tasks.echo", "\u00e9\uD83C\uDF89".repeat(20_000))),
                new Case("countdown 30 s", CallSpec.task("tasks.add", 1, 2).countdown(30)),
                new Case(
                        "eta in UTC",
                        CallSpec.task("tasks.add", 1, 2).eta(OffsetDateTime.parse("2030-01-01T12:00:00Z"))),
                new Case("expires in 120 s", CallSpec.task("tasks.add", 1, 2).expiresIn(Duration.ofSeconds(120))),
                new Case(
                        "expires at a datetime",
                        CallSpec.task("tasks.add", 1, 2).expiresAt(OffsetDateTime.parse("2030-01-02T00:00:00Z"))),
                new Case("priority 5", CallSpec.task("tasks.add", 5, 5).priority(5)),
                new Case("custom queue", CallSpec.task("tasks.add", 1, 2).queue("q_custom")),
                new Case(
                        "custom queue with priority 6",
                        CallSpec.task("tasks.add", 1, 2).queue("q_custom").priority(6)),
                new Case(
                        "custom headers",
                        CallSpec.task("tasks.add", 1, 2)
                                .headers(Map.of(
                                        "x-tenant",
                                        "acme",
                                        "x-num",
                                        42,
                                        "x-nested",
                                        Map.of("a", List.of(1, 2)),
                                        "x-\u00fcn\u00ef",
                                        "\u2713"))),
                new Case(
                        "link and link_error",
                        CallSpec.task("tasks.add", 1, 2)
                                .link(Signature.of("tasks.echo", "cb"))
                                .linkError(Signature.of("tasks.record", "err").asImmutable())),
                new Case(
                        "chain of three",
                        CallSpec.chain(
                                Signature.of("tasks.add", 1, 2),
                                Signature.of("tasks.add", 3),
                                Signature.of("tasks.echo", "end"))),
                new Case(
                        "group of three",
                        CallSpec.group(
                                Signature.of("tasks.add", 1, 1),
                                Signature.of("tasks.add", 2, 2),
                                Signature.of("tasks.add", 3, 3))),
                new Case(
                        "chord of two",
                        CallSpec.chord(
                                List.of(Signature.of("tasks.add", 1, 2), Signature.of("tasks.add", 3, 4)),
                                Signature.of("tasks.tsum"))),
                new Case("custom task id", CallSpec.task("tasks.add", 1, 2).taskId("java-chosen-id-0001")),
                new Case("retries 3", CallSpec.task("tasks.add", 1, 2).with("retries", 3)),
                new Case(
                        "msgpack with bytes, unicode and a big int",
                        CallSpec.task(
                                        "tasks.echo",
                                        new byte[] {0, (byte) 0xff, 'b'},
                                        "h\u00e9llo \uD83C\uDF89",
                                        1L << 40,
                                        Map.of("k", java.util.Arrays.asList(1L, null, true, 2.5)))
                                .serializer("msgpack")),
                new Case(
                        "pickle with plain types",
                        CallSpec.task(
                                        "tasks.echo",
                                        "h\u00e9llo \uD83C\uDF89",
                                        new BigInteger("-1180591620717411303424"),
                                        2.5,
                                        Map.of("k", List.of(true)))
                                .serializer("pickle")),
                new Case(
                        "yaml with plain types",
                        CallSpec.task("tasks.echo", "h\u00e9llo \uD83C\uDF89", 7, 2.5, List.of(Map.of("k", "v")))
                                .serializer("yaml")),
                new Case("gzip", CallSpec.task("tasks.echo", "zipped \u00e9").compression("gzip")),
                new Case("bzip2", CallSpec.task("tasks.echo", "bzipped \u00e9").compression("bzip2")),
                new Case("xz", CallSpec.task("tasks.echo", "xz \u00e9").compression("xz")));
    }

    private static List<Case> protocolOne() {
        return common();
    }

    private static List<Case> priorities() {
        List<Case> cases = new ArrayList<>();
        for (int priority = 0; priority <= 9; priority++) {
            cases.add(new Case(
                    "priority " + priority,
                    CallSpec.task("tasks.add", priority, 0).priority(priority)));
        }
        cases.add(new Case(
                "custom queue with priority 4",
                CallSpec.task("tasks.add", 4, 4).queue("q_custom").priority(4)));
        cases.add(new Case("no priority", CallSpec.task("tasks.add", 0, 0)));
        return cases;
    }

    private static List<Case> prefixed() {
        return List.of(
                new Case("default queue", CallSpec.task("tasks.add", 1, 2)),
                new Case("priority 3", CallSpec.task("tasks.add", 3, 3).priority(3)),
                new Case("priority 9", CallSpec.task("tasks.add", 9, 9).priority(9)),
                new Case(
                        "custom queue with priority 6",
                        CallSpec.task("tasks.add", 6, 6).queue("q_custom").priority(6)),
                new Case("chain", CallSpec.chain(Signature.of("tasks.add", 1, 2), Signature.of("tasks.add", 3))));
    }
}
