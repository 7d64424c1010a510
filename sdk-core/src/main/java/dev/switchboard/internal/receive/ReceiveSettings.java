package dev.switchboard.internal.receive;

import dev.switchboard.ErrorCode;
import dev.switchboard.MessagingException;
import dev.switchboard.Ordering;
import dev.switchboard.RetryPolicy;
import dev.switchboard.Subscription;
import dev.switchboard.UnknownTypePolicy;
import dev.switchboard.internal.config.CoreSettings;
import dev.switchboard.internal.RuntimeContext;
import dev.switchboard.spi.BrokerDriver;
import dev.switchboard.spi.Capability;
import java.time.Duration;
import java.util.Optional;

/**
 * A running subscription's settings, resolved once from the subscription, the configuration and the driver's
 * capabilities; shared by every part of the runtime and by every delivery. Immutable.
 *
 * @param ordering {@link Ordering#PER_KEY} to run each key's deliveries one at a time, in order
 * @param orderByTransportKeyOnly whether only the transport's key orders
 *     ({@link BrokerDriver#ordersByTransportKeyOnly()}): then no header is read for a {@code partitionkey}
 * @param maxInFlight the in-flight window: concurrency × prefetch
 * @param deduplicationTtl present when deduplication by event id is on
 * @param brokerDelays whether the broker holds a nacked message for a delay ({@link Capability#REDELIVERY_DELAY});
 *     if not, delayed retries wait in this process
 * @param maxRedeliveryDelay the longest delay the broker honours; longer explicit retry-afters are capped
 * @param attributePrefix the driver's CloudEvents header prefix
 * @param fallbackSource the source of a received message that carries none, such as {@code kafka:orders}
 * @param shutdownTimeout how long {@code close()} waits by default
 * @param system the provider's name, such as {@code kafka}, for instrumentation
 * @param mdc whether the handler runs with the event in the SLF4J MDC
 * @param attemptsAreHandlerRuns whether a delivery's attempt counts only runs of a handler (the adapter counts them,
 *     as Kafka's does), not deliveries: true where {@link Capability#NATIVE_ATTEMPT_COUNT} is not declared (a broker's
 *     delivery count also counts prefetched messages given back without being handled)
 * @param maxDeadLetterBytes the largest message the dead-letter destination takes
 *     ({@link dev.switchboard.spi.PublisherDriver#maxMessageBytes()}): a larger dead letter's payload is cut
 */
record ReceiveSettings(String topic, String group, Ordering ordering, boolean orderByTransportKeyOnly,
                       RetryPolicy retryPolicy, UnknownTypePolicy unknownTypes, int concurrency, int maxInFlight,
                       Duration pollTimeout, Optional<Duration> deduplicationTtl, boolean brokerDelays,
                       Duration maxRedeliveryDelay, String attributePrefix, String fallbackSource,
                       Duration shutdownTimeout, String system, boolean mdc, boolean attemptsAreHandlerRuns,
                       int maxDeadLetterBytes) {

    /**
     * Resolves what {@code subscription} leaves unset from the configuration, and checks it against the broker.
     *
     * @throws MessagingException {@code FAILED_PRECONDITION} for per-key ordering the broker cannot keep,
     *     {@code INVALID_ARGUMENT} for a retry backoff longer than the broker's longest redelivery delay
     */
    static ReceiveSettings of(RuntimeContext context, Subscription subscription) {
        CoreSettings settings = context.settings();
        BrokerDriver driver = context.driver();
        Ordering ordering = ordering(subscription, driver);
        RetryPolicy retryPolicy = subscription.retryPolicy().orElse(settings.retryPolicy());
        checkRedeliveryDelay(subscription, retryPolicy, driver.maxRedeliveryDelay());
        int concurrency = subscription.concurrency().orElse(settings.concurrency());
        return new ReceiveSettings(subscription.topic(), subscription.group(), ordering,
                driver.ordersByTransportKeyOnly(), retryPolicy,
                subscription.unknownTypePolicy().orElse(settings.unknownTypes()), concurrency,
                concurrency * subscription.prefetch().orElse(settings.prefetch()), settings.pollTimeout(),
                subscription.deduplicationTtl(), driver.capabilities().contains(Capability.REDELIVERY_DELAY),
                driver.maxRedeliveryDelay(), driver.attributePrefix(),
                context.brokerName() + ":" + subscription.topic(), settings.shutdownTimeout(), context.brokerName(),
                settings.mdc(), !driver.capabilities().contains(Capability.NATIVE_ATTEMPT_COUNT),
                driver.publisher().maxMessageBytes());
    }

    private static Ordering ordering(Subscription subscription, BrokerDriver driver) {
        boolean supported = driver.capabilities().contains(Capability.ORDERING_BY_KEY);
        Ordering wanted = subscription.ordering().orElse(supported ? Ordering.PER_KEY : Ordering.NONE);
        if (wanted == Ordering.PER_KEY && !supported) {
            throw new MessagingException(ErrorCode.FAILED_PRECONDITION, "subscription " + subscription.topic() + "/"
                    + subscription.group() + " asks for per-key ordering, which this broker (as configured) cannot keep;"
                    + " use an ordered topic (for example SNS/SQS FIFO) or ordering(Ordering.NONE)");
        }
        return wanted;
    }

    private static void checkRedeliveryDelay(Subscription subscription, RetryPolicy policy, Duration limit) {
        if (policy.maxAttempts() > 1 && policy.maxBackoff().compareTo(limit) > 0) {
            throw new MessagingException(ErrorCode.INVALID_ARGUMENT, "subscription " + subscription.topic() + "/"
                    + subscription.group() + ": the retry policy may wait up to " + policy.maxBackoff()
                    + " between attempts, but this broker redelivers after at most " + limit
                    + "; lower RetryPolicy.withMaxBackoff (or switchboard.retry.max-backoff)");
        }
    }
}
