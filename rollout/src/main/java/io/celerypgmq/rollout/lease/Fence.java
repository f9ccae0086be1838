package io.celerypgmq.rollout.lease;

import java.util.Objects;

/**
 * The token a driver acts under: the lease holder's name and the epoch it holds the lease at. Every change the driver
 * writes checks, in its transaction, that the lease row still says this holder and this epoch.
 */
public record Fence(String holder, long epoch) {
    public Fence {
        Objects.requireNonNull(holder, "holder");
        if (epoch < 1) {
            throw new IllegalArgumentException("a lease epoch starts at 1, got " + epoch);
        }
    }

    @Override
    public String toString() {
        return holder + " (lease epoch " + epoch + ")";
    }
}
