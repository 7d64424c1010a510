package dev.switchboard.rabbitmq.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The grid of retry delays: never shorter than asked, at most 1.5 times longer, 15 minutes at most. */
class RetryDelaysTest {
    private static final long MAX_MILLIS = Duration.ofMinutes(15).toMillis();

    @Test
    void everyWholeMillisecondDelayUpTo15MinutesGetsABucketNeverShorterAndAtMostHalfLonger() {
        List<String> violations = new ArrayList<>();

        for (long asked = 1; asked <= MAX_MILLIS && violations.size() < 10; asked++) {
            long bucket = RetryDelays.bucketMillis(Duration.ofMillis(asked));
            if (bucket < asked || bucket * 2 > asked * 3) {
                violations.add(asked + " ms -> " + bucket + " ms");
            }
        }

        assertThat(violations).as("delays whose bucket is shorter or more than 1.5x longer").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 999_999, 50_000_001, 100_000_001, 2_000_000_500L})
    void aDelayWithAFractionOfAMillisecondIsNotShortened(long nanos) {
        Duration asked = Duration.ofNanos(nanos);

        long bucket = RetryDelays.bucketMillis(asked);

        assertThat(Duration.ofMillis(bucket)).isGreaterThanOrEqualTo(asked);
        assertThat(bucket * 2_000_000).isLessThanOrEqualTo(nanos * 3 + 2_000_000);
    }

    @Test
    void fifteenMinutesIsItsOwnBucket() {
        Duration asked = Duration.ofMinutes(15);

        long bucket = RetryDelays.bucketMillis(asked);

        assertThat(bucket).isEqualTo(MAX_MILLIS);
    }

    @ParameterizedTest
    @ValueSource(longs = {900_001, 1_200_000, 3_600_000, 86_400_000})
    void longerDelaysAreCappedAt15Minutes(long millis) {
        Duration asked = Duration.ofMillis(millis);

        long bucket = RetryDelays.bucketMillis(asked);

        assertThat(bucket).isEqualTo(MAX_MILLIS);
    }
}
