package io.celerypgmq.bridge.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.TimeLimit;
import java.math.BigInteger;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the Java encoder writes for a real worker to run. Every message is built the way the reverse bridge builds
 * one, from scratch, with a fresh id; {@code tasks.record} accepts any arguments, {@code tasks.add} returns a sum
 * that links and chains pass on.
 */
final class EncoderMatrix {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One message, the queue it is for, and what else the worker must run because of it (links, chain steps). */
    record Case(String description, CeleryMessage message, String queue, List<FollowUp> followUps) {}

    /** A task the worker runs after {@code parent}: its name and the args it must receive. */
    record FollowUp(String task, ArrayNode args) {}

    private EncoderMatrix() {}

    static List<Case> cases(OffsetDateTime now, int protocol) {
        List<Case> cases = new ArrayList<>();
        cases.add(simple("add(2, 3)", "tasks.add", array(2, 3), protocol));
        cases.add(simple(
                "unicode and astral strings",
                "tasks.record",
                array("h\u00e9llo", "\uD83C\uDF89 \uD834\uDD1E", "\u65e5\u672c", ""),
                protocol));
        cases.add(simple(
                "big integers",
                "tasks.record",
                array(
                        new BigInteger("1180591620717411303424"),
                        new BigInteger("-1180591620717411303424"),
                        Long.MAX_VALUE,
                        Long.MIN_VALUE),
                protocol));
        cases.add(simple("floats", "tasks.record", array(1.5, -0.25, 1e300, 5e-324, 0.1, 1.0), protocol));
        cases.add(simple(
                "NaN and infinities",
                "tasks.record",
                array(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY),
                protocol));
        cases.add(simple(
                "booleans, null and empty containers",
                "tasks.record",
                array(true, false, null, JSON.createArrayNode(), JSON.createObjectNode()),
                protocol));
        ObjectNode nested = JSON.createObjectNode();
        nested.set("a", array(1, object("b", array(2, object("c", "d")))));
        nested.putNull("e");
        cases.add(simple("nested structures", "tasks.record", array(nested, array(array(array()))), protocol));
        cases.add(simple("a 100 KB string", "tasks.record", array("x".repeat(100_000)), protocol));
        cases.add(simple(
                "a 100 KB unicode string", "tasks.record", array("\u00e9\uD83C\uDF89".repeat(20_000)), protocol));
        ObjectNode kwargs = JSON.createObjectNode();
        kwargs.put("na\u00efve", 1);
        kwargs.set("\uD83C\uDF89", array(1, 2));
        kwargs.set("nested", object("x", array(object("y", "z"))));
        cases.add(new Case(
                "unicode kwargs",
                base("tasks.record", array(), protocol).kwargs(kwargs).build(),
                "celery",
                List.of()));
        cases.add(new Case(
                "a custom task id",
                base("tasks.record", array("custom"), protocol)
                        .id("java-custom-id-" + UUID.randomUUID())
                        .build(),
                "celery",
                List.of()));
        cases.add(new Case(
                "retries 5",
                base("tasks.record", array("retried"), protocol).retries(5).build(),
                "celery",
                List.of()));
        cases.add(new Case(
                "an eta 4 s ahead in UTC",
                base("tasks.record", array("eta utc"), protocol)
                        .eta(now.plusSeconds(4))
                        .build(),
                "celery",
                List.of()));
        cases.add(new Case(
                "an eta 4 s ahead at +01:00",
                base("tasks.record", array("eta +01:00"), protocol)
                        .eta(now.plusSeconds(4).withOffsetSameInstant(ZoneOffset.ofHours(1)))
                        .build(),
                "celery",
                List.of()));
        cases.add(new Case(
                "expires in an hour",
                base("tasks.record", array("expires"), protocol)
                        .expires(now.plusHours(1))
                        .build(),
                "celery",
                List.of()));
        for (int priority = 0; priority <= 9; priority++) {
            cases.add(new Case(
                    "priority " + priority,
                    base("tasks.record", array("p" + priority), protocol)
                            .priority(priority)
                            .build(),
                    "celery",
                    List.of()));
        }
        cases.add(new Case(
                "custom queue with priority 6",
                base("tasks.record", array("q_custom p6"), protocol)
                        .priority(6)
                        .deliveryInfo(deliveryInfo("q_custom"))
                        .build(),
                "q_custom",
                List.of()));
        ObjectNode headers = JSON.createObjectNode();
        headers.put("x-tenant", "acme");
        headers.put("x-num", 42);
        headers.set("x-nested", object("a", array(1, 2)));
        cases.add(new Case(
                "custom headers",
                base("tasks.record", array("headers"), protocol)
                        .customHeaders(headers)
                        .build(),
                "celery",
                List.of()));
        cases.add(new Case(
                "time limits",
                base("tasks.record", array("limits"), protocol)
                        .timelimit(TimeLimit.of(30, 20))
                        .build(),
                "celery",
                List.of()));
        cases.add(new Case(
                "a link that receives the parent's result",
                base("tasks.add", array(1, 2), protocol)
                        .callbacks(JSON.createArrayNode().add(signature("tasks.echo", array("linked"))))
                        .build(),
                "celery",
                List.of(new FollowUp("tasks.echo", array(3, "linked")))));
        CeleryMessage failing = base("tasks.fail", array("boom"), protocol)
                .errbacks(JSON.createArrayNode().add(signature("tasks.on_error", array())))
                .build();
        cases.add(new Case(
                "a link_error that runs with the failed task's id",
                failing,
                "celery",
                List.of(new FollowUp("tasks.on_error", array(failing.id())))));
        if (protocol == 2) {
            cases.add(new Case(
                    "a chain carried in embed.chain",
                    base("tasks.add", array(1, 2), protocol)
                            .chain(JSON.createArrayNode()
                                    .add(signature("tasks.echo", array("end")))
                                    .add(signature("tasks.add", array(10))))
                            .build(),
                    "celery",
                    List.of(new FollowUp("tasks.add", array(3, 10)), new FollowUp("tasks.echo", array(13, "end")))));
        }
        return cases;
    }

    private static Case simple(String description, String task, ArrayNode args, int protocol) {
        return new Case(description, base(task, args, protocol).build(), "celery", List.of());
    }

    private static CeleryMessage.Builder base(String task, ArrayNode args, int protocol) {
        String id = UUID.randomUUID().toString();
        return CeleryMessage.builder()
                .protocol(protocol)
                .task(task)
                .id(id)
                .rootId(id)
                .args(args)
                .kwargs(JSON.createObjectNode())
                .deliveryInfo(deliveryInfo("celery"));
    }

    static ObjectNode deliveryInfo(String queue) {
        ObjectNode info = JSON.createObjectNode();
        info.put("exchange", "");
        info.put("routing_key", queue);
        return info;
    }

    static ObjectNode signature(String task, ArrayNode args) {
        ObjectNode sig = JSON.createObjectNode();
        sig.put("task", task);
        sig.set("args", args);
        sig.set("kwargs", JSON.createObjectNode());
        sig.set("options", JSON.createObjectNode());
        sig.putNull("subtask_type");
        sig.put("immutable", false);
        return sig;
    }

    static ArrayNode array(Object... items) {
        ArrayNode array = JSON.createArrayNode();
        for (Object item : items) {
            array.add(node(item));
        }
        return array;
    }

    static ObjectNode object(String key, Object value) {
        ObjectNode object = JSON.createObjectNode();
        object.set(key, node(value));
        return object;
    }

    private static JsonNode node(Object item) {
        if (item instanceof JsonNode node) {
            return node;
        }
        return JSON.valueToTree(item);
    }
}
