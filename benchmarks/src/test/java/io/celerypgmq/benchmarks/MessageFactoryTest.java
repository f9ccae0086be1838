package io.celerypgmq.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.celerypgmq.benchmarks.env.MessageFactory;
import io.celerypgmq.bridge.codec.CeleryCodec;
import io.celerypgmq.bridge.codec.CeleryMessage;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageFactoryTest {
    private final CeleryCodec codec = CeleryCodec.withDefaults();
    private final MessageFactory factory = new MessageFactory(codec, "bench", 1);

    @Test
    void everyMessageIsAboutTwelveHundredBytesAndDecodesToItsOwnTaskAndIdentity() {
        Set<String> identities = new HashSet<>();
        Set<String> taskIds = new HashSet<>();
        for (int i = 0; i < 1_000; i++) {
            byte[] raw = factory.next();
            assertThat(raw.length).isBetween(1_150, 1_250);
            CeleryMessage m = codec.decode(raw, "bench");
            assertThat(m.task()).isEqualTo(MessageFactory.TASK);
            assertThat(m.identity()).isEqualTo(factory.deliveryTag(raw));
            assertThat(m.rootId()).isEqualTo(m.id());
            assertThat(m.correlationId()).isEqualTo(m.id());
            identities.add(m.identity());
            taskIds.add(m.id());
        }
        assertThat(identities).hasSize(1_000);
        assertThat(taskIds).hasSize(1_000);
    }
}
