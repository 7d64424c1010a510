package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void maxAttemptsBelowOneIsRejected() {
        assertThatThrownBy(() -> RetryPolicy.exponential(0, Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be >= 1, was 0");
        assertThatThrownBy(() -> RetryPolicy.ofDefaults().withMaxAttempts(-3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxAttempts must be >= 1, was -3");
    }

    @Test
    void negativeInitialBackoffIsRejected() {
        assertThatThrownBy(() -> RetryPolicy.fixed(3, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("initialBackoff must be >= 0, was PT-0.001S");
    }

    @Test
    void maxBackoffBelowInitialBackoffIsRejected() {
        assertThatThrownBy(() -> RetryPolicy.exponential(3, Duration.ofSeconds(1)).withMaxBackoff(Duration.ofMillis(500)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxBackoff must be >= initialBackoff (PT1S), was PT0.5S");
    }

    @Test
    void multiplierBelowOneOrNotFiniteIsRejected() {
        RetryPolicy base = RetryPolicy.ofDefaults();

        assertThatThrownBy(() -> base.withMultiplier(0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("multiplier must be a finite number >= 1.0, was 0.5");
        assertThatThrownBy(() -> base.withMultiplier(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("multiplier must be a finite number >= 1.0, was NaN");
        assertThatThrownBy(() -> base.withMultiplier(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("multiplier must be a finite number >= 1.0, was Infinity");
    }

    @Test
    void jitterOutsideZeroToOneIsRejected() {
        RetryPolicy base = RetryPolicy.ofDefaults();

        assertThatThrownBy(() -> base.withJitter(-0.1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jitter must be between 0.0 and 1.0, was -0.1");
        assertThatThrownBy(() -> base.withJitter(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jitter must be between 0.0 and 1.0, was 1.5");
        assertThatThrownBy(() -> base.withJitter(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("jitter must be between 0.0 and 1.0, was NaN");
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThatThrownBy(() -> RetryPolicy.ofDefaults().withMaxBackoff(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("maxBackoff");
        assertThatThrownBy(() -> RetryPolicy.ofDefaults().retryIf(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("retryable");
    }

    @Test
    void defaultsAreDocumented() {
        RetryPolicy defaults = RetryPolicy.ofDefaults();

        assertThat(defaults.maxAttempts()).isEqualTo(5);
        assertThat(defaults.initialBackoff()).isEqualTo(Duration.ofMillis(200));
        assertThat(defaults.multiplier()).isEqualTo(2.0);
        assertThat(defaults.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(defaults.jitter()).isEqualTo(0.2);
    }

    @Test
    void exponentialBackoffDoublesWithoutJitter() {
        RetryPolicy policy = RetryPolicy.exponential(5, Duration.ofMillis(200)).withJitter(0);

        List<Duration> delays = new ArrayList<>();
        for (int attempt = 1; attempt <= 4; attempt++) {
            delays.add(policy.backoff(attempt));
        }

        assertThat(delays).containsExactly(Duration.ofMillis(200), Duration.ofMillis(400), Duration.ofMillis(800),
                Duration.ofMillis(1600));
    }

    @Test
    void customMultiplierIsApplied() {
        RetryPolicy policy = RetryPolicy.exponential(5, Duration.ofMillis(100)).withMultiplier(3.0).withJitter(0);

        assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(100));
        assertThat(policy.backoff(2)).isEqualTo(Duration.ofMillis(300));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofMillis(900));
    }

    @Test
    void backoffIsCappedAtMaxBackoff() {
        RetryPolicy policy = RetryPolicy.exponential(20, Duration.ofMillis(200))
                .withMaxBackoff(Duration.ofSeconds(1))
                .withJitter(0);

        assertThat(policy.backoff(3)).isEqualTo(Duration.ofMillis(800));
        assertThat(policy.backoff(4)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(10)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoff(1000)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void exponentialCapsAtThirtySecondsByDefault() {
        RetryPolicy policy = RetryPolicy.exponential(30, Duration.ofSeconds(1)).withJitter(0);

        assertThat(policy.maxBackoff()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.backoff(6)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void exponentialWithInitialBackoffAboveDefaultCapUsesItAsCap() {
        RetryPolicy policy = RetryPolicy.exponential(3, Duration.ofMinutes(1)).withJitter(0);

        assertThat(policy.maxBackoff()).isEqualTo(Duration.ofMinutes(1));
        assertThat(policy.backoff(3)).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void jitterStaysWithinBoundsAndActuallySpreads() {
        RetryPolicy policy = RetryPolicy.exponential(5, Duration.ofMillis(1000))
                .withMaxBackoff(Duration.ofSeconds(60))
                .withJitter(0.25);
        long base = Duration.ofMillis(2000).toNanos();
        long low = (long) (base * 0.75);
        long high = (long) (base * 1.25);

        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 2000; i++) {
            long nanos = policy.backoff(2).toNanos();
            min = Math.min(min, nanos);
            max = Math.max(max, nanos);
        }

        assertThat(min).isGreaterThanOrEqualTo(low);
        assertThat(max).isLessThanOrEqualTo(high);
        // 2000 uniform samples over ±25 %: both halves of the range are hit with overwhelming probability
        assertThat(min).isLessThan((long) (base * 0.9));
        assertThat(max).isGreaterThan((long) (base * 1.1));
    }

    @Test
    void jitterNeverExceedsMaxBackoff() {
        RetryPolicy policy = RetryPolicy.exponential(10, Duration.ofMillis(100))
                .withMaxBackoff(Duration.ofMillis(400))
                .withJitter(0.5);

        for (int i = 0; i < 1000; i++) {
            Duration delay = policy.backoff(8);

            assertThat(delay).isLessThanOrEqualTo(Duration.ofMillis(400)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        }
    }

    @Test
    void shouldRetryHonoursMaxAttempts() {
        RetryPolicy policy = RetryPolicy.exponential(3, Duration.ofMillis(10));
        RuntimeException failure = new RuntimeException("boom");

        assertThat(policy.shouldRetry(failure, 1)).isTrue();
        assertThat(policy.shouldRetry(failure, 2)).isTrue();
        assertThat(policy.shouldRetry(failure, 3)).isFalse();
        assertThat(policy.shouldRetry(failure, 4)).isFalse();
    }

    @Test
    void shouldRetryHonoursPredicate() {
        RetryPolicy policy = RetryPolicy.exponential(5, Duration.ofMillis(10))
                .retryIf(e -> !(e instanceof IllegalArgumentException));

        assertThat(policy.shouldRetry(new IllegalStateException("transient"), 1)).isTrue();
        assertThat(policy.shouldRetry(new IllegalArgumentException("permanent"), 1)).isFalse();
    }

    @Test
    void predicateSurvivesLaterWithers() {
        RetryPolicy policy = RetryPolicy.exponential(5, Duration.ofMillis(10))
                .retryIf(e -> false)
                .withMaxAttempts(10)
                .withJitter(0);

        assertThat(policy.shouldRetry(new RuntimeException(), 1)).isFalse();
        assertThat(policy.maxAttempts()).isEqualTo(10);
    }

    @Test
    void withersReturnNewInstancesAndLeaveOriginalUnchanged() {
        RetryPolicy original = RetryPolicy.ofDefaults();

        RetryPolicy changed = original.withMaxAttempts(9).withJitter(0.0);

        assertThat(changed).isNotSameAs(original);
        assertThat(original.maxAttempts()).isEqualTo(5);
        assertThat(original.jitter()).isEqualTo(0.2);
        assertThat(changed.maxAttempts()).isEqualTo(9);
        assertThat(changed.jitter()).isEqualTo(0.0);
    }

    @Test
    void noneNeverRetries() {
        RetryPolicy none = RetryPolicy.none();

        assertThat(none.maxAttempts()).isEqualTo(1);
        assertThat(none.shouldRetry(new RuntimeException(), 1)).isFalse();
        assertThat(none.backoff(1)).isEqualTo(Duration.ZERO);
    }

    @Test
    void fixedUsesTheSameDelayWithoutJitter() {
        RetryPolicy fixed = RetryPolicy.fixed(4, Duration.ofMillis(250));

        assertThat(fixed.jitter()).isZero();
        assertThat(fixed.multiplier()).isEqualTo(1.0);
        for (int attempt = 1; attempt <= 10; attempt++) {
            assertThat(fixed.backoff(attempt)).isEqualTo(Duration.ofMillis(250));
        }
        assertThat(fixed.shouldRetry(new RuntimeException(), 3)).isTrue();
        assertThat(fixed.shouldRetry(new RuntimeException(), 4)).isFalse();
    }

    @Test
    void toStringNamesTheSettings() {
        String text = RetryPolicy.fixed(4, Duration.ofMillis(250)).toString();

        assertThat(text).contains("maxAttempts=4").contains("initialBackoff=PT0.25S").contains("jitter=0.0");
    }
}
