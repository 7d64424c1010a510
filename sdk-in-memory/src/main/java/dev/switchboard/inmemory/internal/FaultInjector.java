package dev.switchboard.inmemory.internal;

import java.time.Duration;
import java.util.Random;

/**
 * Seeded faults that a real broker may produce, so that users can test their idempotency: a delivery that
 * is delivered again (a duplicate), and redeliveries that come later than asked. Deterministic for a seed
 * (per receiver, in receive order). Thread-safe.
 */
public final class FaultInjector {
    /** No faults. */
    public static final FaultInjector NONE = new FaultInjector(0, 0.0, Duration.ZERO);

    private final Random random;
    private final double duplicateProbability;
    private final Duration maxExtraDelay;

    public FaultInjector(long seed, double duplicateProbability, Duration maxExtraDelay) {
        if (!(duplicateProbability >= 0.0 && duplicateProbability <= 1.0)) {
            throw new IllegalArgumentException("duplicate probability must be between 0.0 and 1.0, was " + duplicateProbability);
        }
        this.random = new Random(seed);
        this.duplicateProbability = duplicateProbability;
        this.maxExtraDelay = maxExtraDelay;
    }

    public boolean isActive() {
        return duplicateProbability > 0 || !maxExtraDelay.isZero();
    }

    /** Whether this delivery should be delivered a second time; without duplicates, takes no lock. */
    public boolean duplicate() {
        if (duplicateProbability == 0) {
            return false;
        }
        synchronized (this) {
            return random.nextDouble() < duplicateProbability;
        }
    }

    /** The redelivery delay with a random extra added. */
    public synchronized Duration delay(Duration asked) {
        if (maxExtraDelay.isZero()) {
            return asked;
        }
        return asked.plusNanos((long) (random.nextDouble() * maxExtraDelay.toNanos()));
    }
}
