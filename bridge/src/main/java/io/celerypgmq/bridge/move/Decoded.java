package io.celerypgmq.bridge.move;

import io.celerypgmq.bridge.codec.CeleryMessage;
import io.celerypgmq.bridge.codec.UndecodableMessageException;

/**
 * One claimed message, decoded (or the reason it cannot be): what the planner decides on, and what a redo or a
 * poisoned write decides on again without decoding twice.
 *
 * @param claimed the in-flight element as claimed
 * @param raw the Celery message's bytes (for an {@code unacked} entry: the envelope inside it)
 * @param list the Celery list it belongs to (an {@code unacked} entry: the one kombu would restore it to)
 * @param ledgerSource where the ledger and the quarantine say it came from (the list, or the {@code unacked} hash)
 * @param msg the decoded message, or null when {@code failure} says why not
 * @param digest its content digest (null when undecodable)
 * @param weight the bytes holding it costs: raw plus decoded body
 */
record Decoded(
        ClaimedMessage claimed,
        byte[] raw,
        String list,
        String ledgerSource,
        CeleryMessage msg,
        Long digest,
        UndecodableMessageException failure,
        long weight) {

    String identity() {
        return msg == null ? null : msg.identity();
    }
}
