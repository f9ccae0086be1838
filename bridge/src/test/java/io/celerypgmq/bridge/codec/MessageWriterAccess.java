package io.celerypgmq.bridge.codec;

import io.celerypgmq.bridge.codec.internal.BodyWriter;

/** Test access to the serialized body Celery would write for a message. */
final class MessageWriterAccess {
    private MessageWriterAccess() {}

    static byte[] encodeBody(CeleryMessage m) {
        return BodyWriter.serialize(
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance
                        .arrayNode()
                        .add(m.args())
                        .add(m.kwargs())
                        .add(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()),
                Serializer.JSON);
    }
}
