package io.celerypgmq.bridge.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.CodecOptions;
import io.celerypgmq.bridge.codec.PriorityKeys;
import io.celerypgmq.testkit.RealBackends;
import io.celerypgmq.testkit.TestRedis;
import io.celerypgmq.testkit.celery.PublishOptions;
import io.celerypgmq.testkit.celery.PublishedCall;
import io.celerypgmq.testkit.celery.RealCelery;
import io.celerypgmq.testkit.celery.TransportOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Real Celery 5.2 publishes a matrix of calls into Redis; the decoder must read every list element, priority lists
 * and prefixed keys included, back into exactly what was asked for. One producer process per configuration group.
 * {@link Celery56ProducerToDecoderInteropTest} runs the same with Celery 5.6.
 */
@RealBackends
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CeleryProducerToDecoderInteropTest {
    /** One configuration group after publishing: what Celery reported and what sat in Redis. */
    record Outcome(
            ProducerMatrix.Group group,
            List<PublishedCall> published,
            Map<String, List<BrokerLists.Element>> lists,
            PriorityKeys keys) {}

    private final List<Outcome> outcomes = new ArrayList<>();

    /** The Celery that publishes. */
    RealCelery celery() {
        return RealCelery.require();
    }

    @BeforeAll
    void publishEveryGroupWithRealCelery(TestRedis redis) {
        RealCelery celery = celery();
        try (BrokerLists lists = new BrokerLists(redis.url())) {
            for (ProducerMatrix.Group group : ProducerMatrix.groups()) {
                lists.flush();
                List<PublishedCall> published = celery.publish(
                        redis.url(),
                        group.cases().stream().map(ProducerMatrix.Case::call).toList(),
                        group.options());
                outcomes.add(new Outcome(group, published, lists.snapshot(), priorityKeys(group.options())));
            }
        }
    }

    @TestFactory
    Stream<DynamicNode> everyPublishedMessageDecodesToWhatWasSent() {
        return outcomes.stream()
                .map(outcome -> DynamicContainer.dynamicContainer(
                        outcome.group().name(),
                        Stream.concat(
                                Stream.of(
                                        DynamicTest.dynamicTest(
                                                "every list element decodes and belongs to a published call",
                                                () -> everyElementIsAccountedFor(outcome)),
                                        DynamicTest.dynamicTest(
                                                "only the calls Celery itself refuses fail to publish",
                                                () -> onlyRefusedCallsFailed(outcome))),
                                callTests(outcome))));
    }

    private static Stream<DynamicTest> callTests(Outcome outcome) {
        PublishedExpectations expectations = new PublishedExpectations(
                outcome.keys(), outcome.group().options().taskProtocol());
        Map<String, Located> byId = decodeAll(outcome).byId();
        return outcome.published().stream()
                .filter(p -> !p.failed())
                .map(published -> DynamicTest.dynamicTest(
                        outcome.group().cases().get(published.index()).description(), () -> {
                            assertThat(published.publishedIds())
                                    .as("published ids")
                                    .isNotEmpty();
                            for (int i = 0; i < published.publishedIds().size(); i++) {
                                String id = published.publishedIds().get(i);
                                Located located = byId.get(id);
                                assertThat(located)
                                        .as("a message with id %s in Redis (%s)", id, published)
                                        .isNotNull();
                                expectations.check(published, i, located.message(), located.key());
                            }
                        }));
    }

    private record Located(String key, CeleryMessage message) {}

    /** Decoded messages by task id, and a description of every element that failed to decode. */
    private record Decoded(Map<String, Located> byId, List<String> failures) {}

    private static Decoded decodeAll(Outcome outcome) {
        CeleryCodec codec = new CeleryCodec(CodecOptions.defaults().withPriorityKeys(outcome.keys()));
        Map<String, Located> byId = new LinkedHashMap<>();
        List<String> failures = new ArrayList<>();
        outcome.lists()
                .forEach((key, elements) -> elements.forEach(element -> {
                    try {
                        CeleryMessage message = codec.decode(element.raw(), key);
                        byId.put(message.id(), new Located(key, message));
                    } catch (RuntimeException e) {
                        failures.add(e + " <- " + abbreviate(element.text()));
                    }
                }));
        return new Decoded(byId, failures);
    }

    private static String abbreviate(String text) {
        return text.length() > 600 ? text.substring(0, 600) + "..." : text;
    }

    private static void everyElementIsAccountedFor(Outcome outcome) {
        Decoded decoded = decodeAll(outcome);
        long elements = outcome.lists().values().stream().mapToLong(List::size).sum();
        List<String> publishedIds = outcome.published().stream()
                .flatMap(p -> p.publishedIds().stream())
                .toList();
        assertThat(decoded.failures()).as("elements that did not decode").isEmpty();
        assertThat(decoded.byId()).as("decoded messages by id").hasSize((int) elements);
        assertThat(decoded.byId().keySet()).containsExactlyInAnyOrderElementsOf(publishedIds);
    }

    private static void onlyRefusedCallsFailed(Outcome outcome) {
        assertThat(outcome.published())
                .allSatisfy(p -> assertThat(p.error()).as(p.toString()).isNull());
    }

    private static PriorityKeys priorityKeys(PublishOptions options) {
        TransportOptions transport = options.transport();
        PriorityKeys keys = PriorityKeys.defaults();
        if (transport.prioritySteps() != null) {
            keys = keys.withSteps(transport.prioritySteps());
        }
        if (transport.separator() != null) {
            keys = keys.withSeparator(transport.separator());
        }
        return keys.withGlobalKeyPrefix(Objects.requireNonNullElse(transport.globalKeyprefix(), ""));
    }
}
