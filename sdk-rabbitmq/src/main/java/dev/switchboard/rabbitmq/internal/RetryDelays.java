package dev.switchboard.rabbitmq.internal;

import java.time.Duration;

/**
 * Retry delays on RabbitMQ are served by TTL queues that dead-letter back into the group queue. A queue's
 * messages expire in order, so one queue holds one delay; to keep the number of queues small, a requested
 * delay is rounded up to the next step of this grid (at most 1.5 times longer, never shorter).
 */
final class RetryDelays {
    private static final long[] STEPS_MILLIS = {50, 100, 150, 200, 300, 500, 750, 1_000, 1_500, 2_000, 3_000, 5_000,
            7_500, 10_000, 15_000, 20_000, 30_000, 45_000, 60_000, 90_000, 120_000, 180_000, 300_000, 450_000, 600_000,
            900_000};

    private RetryDelays() {
    }

    /** The grid step for {@code delay}, in milliseconds; 15 minutes at most. */
    static long bucketMillis(Duration delay) {
        long millis = delay.toMillis();
        for (long step : STEPS_MILLIS) {
            if (step >= millis) {
                return step;
            }
        }
        return STEPS_MILLIS[STEPS_MILLIS.length - 1];
    }
}
