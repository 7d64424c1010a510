package dev.switchboard.rabbitmq.internal;

import java.time.Duration;

/**
 * Retry delays on RabbitMQ are served by TTL queues that dead-letter back into the group queue. A queue's
 * messages expire in order, so one queue holds one delay; to keep the number of queues small, a requested
 * delay is rounded up to the next step of this grid (at most 1.5 times longer, never shorter).
 */
final class RetryDelays {
    // each step is at most 1.5 times the whole millisecond after the step before it
    private static final long[] STEPS_MILLIS = {1, 2, 3, 4, 5, 7, 10, 15, 20, 30, 40, 50, 75, 100, 150, 200, 300, 400,
            500, 750, 1_000, 1_500, 2_000, 3_000, 4_000, 5_000, 7_500, 10_000, 15_000, 20_000, 30_000, 45_000, 60_000,
            90_000, 120_000, 180_000, 240_000, 300_000, 450_000, 600_000, 900_000};

    /** The longest delay: longer ones are served after it. */
    static final long MAX_MILLIS = STEPS_MILLIS[STEPS_MILLIS.length - 1];

    private RetryDelays() {
    }

    /** The grid step for {@code delay}, in milliseconds; {@link #MAX_MILLIS} at most. */
    static long bucketMillis(Duration delay) {
        // rounded up: a delay of 100.5 ms must not become 100 ms
        long millis = delay.plusNanos(999_999).toMillis();
        for (long step : STEPS_MILLIS) {
            if (step >= millis) {
                return step;
            }
        }
        return MAX_MILLIS;
    }
}
