package io.celerypgmq.bridge.pump;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.KombuEnvelope;

/**
 * The pgmq {@code headers} column of a {@code kombu}-format message, as kombu 5.7's pgmq transport writes it for the
 * same publish ({@code Channel._pgmq_send_kwargs}): a copy of the envelope's {@code headers} (Celery's task headers),
 * plus {@code properties.MessageGroupId} where the envelope has one and its headers do not, plus the bridge's identity
 * header, which the verifier and the way back match on. Nothing else: the other {@code x-celery-*} headers of the
 * {@code task} format are not what kombu writes, and a consumer on {@code pgmq://} reads only the message column.
 */
final class KombuPgmqHeaders {
    /** The property kombu copies into the headers (SQS-style FIFO groups). */
    static final String MESSAGE_GROUP_ID = "MessageGroupId";

    private KombuPgmqHeaders() {}

    /**
     * The headers column text for {@code msg}.
     *
     * @throws IllegalStateException when {@code msg} was not decoded from an envelope (the format needs one)
     */
    static String of(CeleryMessage msg) {
        KombuEnvelope envelope = msg.source()
                .orElseThrow(() -> new IllegalStateException(
                        "the kombu format stores the original envelope, and " + msg.id() + " has none"));
        ObjectNode headers = envelope.headers();
        if (!headers.has(MESSAGE_GROUP_ID)) {
            envelope.property(MESSAGE_GROUP_ID).ifPresent(group -> headers.set(MESSAGE_GROUP_ID, group));
        }
        headers.put(CeleryHeaders.IDENTITY, msg.identity());
        return PgmqPayloads.write(headers);
    }
}
