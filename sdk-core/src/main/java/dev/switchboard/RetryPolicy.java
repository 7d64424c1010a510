package dev.switchboard;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

/**
 * How often, and how far apart, a failing delivery is tried before it goes to the dead letter.
 *
 * <pre>{@code
 * RetryPolicy.exponential(5, Duration.ofMillis(200))   // 200 ms, 400 ms, 800 ms, 1.6 s, then dead letter
 *     .withMaxBackoff(Duration.ofSeconds(10))
 *     .withJitter(0.2)
 *     .retryIf(e -> !(e instanceof IllegalArgumentException));
 * }</pre>
 *
 * <p>{@code maxAttempts} counts every handler invocation, the first included: {@code maxAttempts(1)} means
 * no retry. The delay before attempt {@code n + 1} is {@code initialBackoff * multiplier^(n-1)}, capped at
 * {@code maxBackoff}, then spread by ±{@code jitter} (a fraction) so that retries of many consumers do not
 * arrive in lock-step. A failure the {@link #retryIf(Predicate) predicate} rejects is dead-lettered at once.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class RetryPolicy {
    private static final RetryPolicy DEFAULTS = new RetryPolicy(5, Duration.ofMillis(200), 2.0,
            Duration.ofSeconds(30), 0.2, e -> true);

    private final int maxAttempts;
    private final Duration initialBackoff;
    private final double multiplier;
    private final Duration maxBackoff;
    private final double jitter;
    private final Predicate<Throwable> retryable;

    private RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, Duration maxBackoff,
                        double jitter, Predicate<Throwable> retryable) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        }
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must be >= 0, was " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff must be >= initialBackoff (" + initialBackoff
                    + "), was " + maxBackoff);
        }
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1.0, was " + multiplier);
        }
        if (!(jitter >= 0.0 && jitter <= 1.0)) {
            throw new IllegalArgumentException("jitter must be between 0.0 and 1.0, was " + jitter);
        }
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.multiplier = multiplier;
        this.maxBackoff = maxBackoff;
        this.jitter = jitter;
        this.retryable = Objects.requireNonNull(retryable, "retryable");
    }

    /** Five attempts, 200 ms doubling up to 30 s, 20 % jitter. */
    public static RetryPolicy ofDefaults() {
        return DEFAULTS;
    }

    /** {@code maxAttempts} attempts with delays doubling from {@code initialBackoff}, up to 30 s, 20 % jitter. */
    public static RetryPolicy exponential(int maxAttempts, Duration initialBackoff) {
        Duration cap = initialBackoff.compareTo(DEFAULTS.maxBackoff) > 0 ? initialBackoff : DEFAULTS.maxBackoff;
        return new RetryPolicy(maxAttempts, initialBackoff, 2.0, cap, 0.2, e -> true);
    }

    /** {@code maxAttempts} attempts, always {@code delay} apart, no jitter. */
    public static RetryPolicy fixed(int maxAttempts, Duration delay) {
        return new RetryPolicy(maxAttempts, delay, 1.0, delay, 0.0, e -> true);
    }

    /** One attempt: the first failure goes to the dead letter. */
    public static RetryPolicy none() {
        return new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO, 0.0, e -> true);
    }

    public RetryPolicy withMaxAttempts(int maxAttempts) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, retryable);
    }

    public RetryPolicy withMultiplier(double multiplier) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, retryable);
    }

    public RetryPolicy withMaxBackoff(Duration maxBackoff) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, retryable);
    }

    public RetryPolicy withJitter(double jitter) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, retryable);
    }

    /** Retries only failures that match; any other failure is dead-lettered at its first occurrence. */
    public RetryPolicy retryIf(Predicate<Throwable> retryable) {
        return new RetryPolicy(maxAttempts, initialBackoff, multiplier, maxBackoff, jitter, retryable);
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration initialBackoff() {
        return initialBackoff;
    }

    public double multiplier() {
        return multiplier;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public double jitter() {
        return jitter;
    }

    /** Whether {@code failure}, seen on delivery attempt {@code attempt} (1-based), deserves another attempt. */
    public boolean shouldRetry(Throwable failure, int attempt) {
        return attempt < maxAttempts && retryable.test(failure);
    }

    /** The delay before the attempt that follows attempt {@code attempt} (1-based), jitter applied. */
    public Duration backoff(int attempt) {
        double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
        double capped = Math.min(base, maxBackoff.toNanos());
        double spread = jitter == 0.0 ? 0.0 : capped * jitter * (ThreadLocalRandom.current().nextDouble() * 2 - 1);
        return Duration.ofNanos((long) Math.max(0, Math.min(maxBackoff.toNanos(), capped + spread)));
    }

    @Override
    public String toString() {
        return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialBackoff=" + initialBackoff + ", multiplier="
                + multiplier + ", maxBackoff=" + maxBackoff + ", jitter=" + jitter + "}";
    }
}
