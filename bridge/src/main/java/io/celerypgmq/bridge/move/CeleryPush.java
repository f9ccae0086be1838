package io.celerypgmq.bridge.move;

import java.util.Objects;

/** A message to LPUSH onto a Celery list (a queue or one of its priority lists) when a batch finishes. */
public record CeleryPush(String listKey, byte[] raw) {
    public CeleryPush {
        Objects.requireNonNull(listKey, "listKey");
        Objects.requireNonNull(raw, "raw");
    }
}
