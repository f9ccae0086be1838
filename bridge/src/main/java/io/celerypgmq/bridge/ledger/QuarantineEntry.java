package io.celerypgmq.bridge.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A message the bridge could not handle, kept byte for byte with why.
 *
 * @param fingerprint what tells entries apart: the same bytes seen again bump one entry's count, different bytes are
 *     different entries (even under one identity)
 * @param identity the message's identity where it had one (its delivery tag), else {@code null}
 */
public record QuarantineEntry(
        String fingerprint, String sourceKey, byte[] raw, String reason, String detail, String identity) {
    public QuarantineEntry {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(sourceKey, "sourceKey");
        Objects.requireNonNull(raw, "raw");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }

    /** An entry with an explicit fingerprint and no identity. */
    public QuarantineEntry(String fingerprint, String sourceKey, byte[] raw, String reason, String detail) {
        this(fingerprint, sourceKey, raw, reason, detail, null);
    }

    /** An entry fingerprinted by its bytes: {@code sha256:<hex>}. */
    public static QuarantineEntry of(String identity, String sourceKey, byte[] raw, String reason, String detail) {
        return new QuarantineEntry(sha256(raw), sourceKey, raw, reason, detail, identity);
    }

    /** {@code sha256:<hex>} of {@code bytes}. */
    public static String sha256(byte[] bytes) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "QuarantineEntry[" + fingerprint + " from " + sourceKey + ": " + reason + ", " + raw.length + " bytes]";
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
