package dev.switchboard.instrumentation;

import java.util.Map;

/**
 * An observer of one {@code Messaging} instance: every method has a no-op default, so an implementation
 * overrides what it needs. Think of OkHttp's {@code EventListener}.
 *
 * <p>Thread safety: methods are called concurrently, from publishing threads, pollers and handler threads; an
 * implementation must be thread-safe, quick, and must not block: publish ends are told on the broker client's I/O
 * thread. Whatever it throws (an exception or an error such as a {@code NoSuchMethodError} from a mismatched
 * library; not a {@code VirtualMachineError}) is logged and ignored, and a null observation counts as none.
 *
 * @since 0.2
 */
public interface Instrumentation {
    /**
     * A publish of one event begins, on the caller's thread, before the envelope is written to the wire (its
     * payload is encoded already): the observer may add
     * CloudEvents extensions to it (such as {@code traceparent}) through {@link PublishContext#setExtension}. For
     * {@code publishAll}, called once per event.
     *
     * @return what is told when the broker has confirmed the event or the publish failed
     */
    default PublishObservation publishStarted(PublishContext publish) {
        return PublishObservation.NONE;
    }

    /**
     * The caller's current trace context as CloudEvents extensions (fields named as {@link PropagationFields} says),
     * for an event stored now and published later on another thread — a transactional outbox's — so that its
     * publish continues the caller's trace ({@link #publishStarted} takes the context an event carries as the parent
     * when no span is current). Called on the caller's thread by {@code Publisher.prepare}; empty by default.
     */
    default Map<String, String> currentContext() {
        return Map.of();
    }

    /** A subscription has started receiving; {@code subscription} stays valid (and live) until it is closed. */
    default void subscriptionStarted(SubscriptionView subscription) {
    }

    /** A receive brought {@code messages} (at least one) from the broker, on the subscription's poller thread. */
    default void received(SubscriptionView subscription, int messages) {
    }

    /**
     * A handler call is about to begin, on the handler's thread: after deduplication and handler lookup, before
     * the payload is decoded. Called again for each attempt retried in this process.
     *
     * @return what is told of the handler call and of the delivery's outcome
     */
    default ProcessObservation processStarted(DeliveryContext delivery) {
        return ProcessObservation.NONE;
    }

    /**
     * A delivery was settled without a handler call: a duplicate, a type no handler takes, a malformed message
     * dead-lettered, or a delivery given back before it ran (a drain).
     */
    default void settledWithoutHandler(DeliveryContext delivery, Outcome outcome) {
    }

    /**
     * A subscription has drained and closed.
     *
     * @param inTime whether every delivery finished and was acknowledged within the shutdown timeout
     */
    default void subscriptionClosed(SubscriptionView subscription, boolean inTime) {
    }
}
