package io.celerypgmq.verifier.criteria;

/** The outcome of one criterion. Without data a criterion is {@link #NOT_MEASURED}, never passed. */
public enum Verdict {
    PASS,
    FAIL,
    NOT_MEASURED;

    public String label() {
        return this == NOT_MEASURED ? "NOT MEASURED" : name();
    }
}
