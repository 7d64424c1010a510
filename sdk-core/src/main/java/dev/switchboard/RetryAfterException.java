package dev.switchboard;

import java.time.Duration;
import java.util.Objects;

/**
 * Thrown by a handler to ask for a retry after a specific delay instead of the policy's backoff, for example
 * when a downstream service said {@code Retry-After}. The attempt still counts against the policy's
 * {@code maxAttempts}.
 *
 * @since 0.1
 */
public class RetryAfterException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final Duration delay;

    public RetryAfterException(Duration delay, String reason) {
        super(reason);
        this.delay = Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must be >= 0, was " + delay);
        }
    }

    public Duration delay() {
        return delay;
    }
}
