package io.celerypgmq.bridge.codec;

/**
 * What to do when a pickle body refers to a class the codec does not know. Nothing is ever executed either way: the
 * unpickler only builds data, and the known classes (datetime, date, time, timedelta, timezone, Decimal, UUID, set,
 * frozenset, bytes, bytearray, OrderedDict) map to plain JSON.
 */
public enum PicklePolicy {
    /** Represent an unknown object as {@code {"__class__": "module.Name", "args": [...], "state": ...}}. */
    REPRESENT,
    /** Refuse the message with {@link UndecodableMessageException.Reason#PICKLE_CLASS_REFUSED}. */
    REJECT
}
