package dev.switchboard.internal.receive;

import dev.switchboard.Ordering;
import dev.switchboard.RetryPolicy;
import dev.switchboard.UnknownTypePolicy;
import java.time.Duration;
import java.util.Optional;

/** Builds {@link ReceiveSettings} for topic {@code orders}, group {@code billing}; each test changes what it needs. */
final class TestSettings {
    private boolean mdc = true;
    private int maxDeadLetterBytes = 1024 * 1024;
    private Ordering ordering = Ordering.NONE;
    private boolean orderByTransportKeyOnly;
    private RetryPolicy retryPolicy = RetryPolicy.fixed(3, Duration.ofMillis(250));
    private UnknownTypePolicy unknownTypes = UnknownTypePolicy.SKIP;
    private int concurrency = 2;
    private int prefetch = 2;
    private Duration pollTimeout = Duration.ofSeconds(30);
    private Optional<Duration> deduplicationTtl = Optional.empty();
    private boolean brokerDelays = true;
    private boolean attemptsAreHandlerRuns = true;
    private Duration maxRedeliveryDelay = Duration.ofHours(12);

    TestSettings perKey() {
        ordering = Ordering.PER_KEY;
        return this;
    }

    /** Per-key ordering by the transport's key alone, as on Kafka. */
    TestSettings perTransportKey() {
        ordering = Ordering.PER_KEY;
        orderByTransportKeyOnly = true;
        return this;
    }

    TestSettings retry(RetryPolicy policy) {
        retryPolicy = policy;
        return this;
    }

    TestSettings unknownTypes(UnknownTypePolicy policy) {
        unknownTypes = policy;
        return this;
    }

    TestSettings window(int concurrency, int prefetch) {
        this.concurrency = concurrency;
        this.prefetch = prefetch;
        return this;
    }

    TestSettings pollTimeout(Duration timeout) {
        pollTimeout = timeout;
        return this;
    }

    TestSettings deduplicate() {
        deduplicationTtl = Optional.of(Duration.ofHours(1));
        return this;
    }

    /** The broker cannot hold a nacked message for a delay: retries wait in the process. */
    /** The broker counts deliveries (NATIVE_ATTEMPT_COUNT), given-back prefetches included. */
    TestSettings brokerCountsDeliveries() {
        attemptsAreHandlerRuns = false;
        return this;
    }

    TestSettings noRedeliveryDelay() {
        brokerDelays = false;
        return this;
    }

    TestSettings maxRedeliveryDelay(Duration limit) {
        maxRedeliveryDelay = limit;
        return this;
    }

    /** The dead-letter destination takes messages up to {@code bytes}. */
    TestSettings maxDeadLetterBytes(int bytes) {
        maxDeadLetterBytes = bytes;
        return this;
    }

    /** Handlers run without the event in the MDC. */
    TestSettings noMdc() {
        mdc = false;
        return this;
    }

    ReceiveSettings build() {
        return new ReceiveSettings("orders", "billing", ordering, orderByTransportKeyOnly, retryPolicy, unknownTypes,
                concurrency, concurrency * prefetch, pollTimeout, deduplicationTtl, brokerDelays, maxRedeliveryDelay,
                "ce_", "test:orders", Duration.ofSeconds(5), "test", mdc, attemptsAreHandlerRuns, maxDeadLetterBytes);
    }
}
