package io.celerypgmq.bridge.ledger;

import java.util.Objects;

/** A message the bridge could not handle, kept byte for byte with why. */
public record QuarantineEntry(String fingerprint, String sourceKey, byte[] raw, String reason, String detail) {
    public QuarantineEntry {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(sourceKey, "sourceKey");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return "QuarantineEntry[" + fingerprint + " from " + sourceKey + ": " + reason + " (" + detail + "), "
                + raw.length + " bytes]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuarantineEntry q && q.fingerprint.equals(fingerprint) && q.sourceKey.equals(sourceKey);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }
}
