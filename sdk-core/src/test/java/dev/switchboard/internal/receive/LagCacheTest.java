package dev.switchboard.internal.receive;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The lag is read in the background: callers never wait, and one read runs at a time. */
class LagCacheTest {
    private final ManualWorkers reads = new ManualWorkers();
    private final AtomicInteger asked = new AtomicInteger();

    @Test
    void theFirstAskStartsAReadAndAnswersEmptyWithoutWaitingForIt() {
        LagCache lag = new LagCache(() -> OptionalLong.of(asked.incrementAndGet() * 10L), reads);

        assertThat(lag.get()).isEmpty();
        assertThat(lag.get()).isEmpty();
        assertThat(reads.queued()).as("one read at a time").isEqualTo(1);

        reads.runAll();

        assertThat(lag.get()).hasValue(10);
        assertThat(reads.queued()).as("a fresh value starts no read").isZero();
        assertThat(asked).hasValue(1);
    }

    @Test
    void aFailedReadAnswersEmpty() {
        LagCache lag = new LagCache(() -> {
            throw new IllegalStateException("broker down");
        }, reads);

        lag.get();
        reads.runAll();

        assertThat(lag.get()).isEmpty();
    }
}
