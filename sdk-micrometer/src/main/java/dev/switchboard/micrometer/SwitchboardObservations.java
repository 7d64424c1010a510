package dev.switchboard.micrometer;

import dev.switchboard.MessagingException;
import dev.switchboard.PublishResult;
import dev.switchboard.instrumentation.DeliveryContext;
import dev.switchboard.instrumentation.Instrumentation;
import dev.switchboard.instrumentation.Outcome;
import dev.switchboard.instrumentation.ProcessObservation;
import dev.switchboard.instrumentation.PublishContext;
import dev.switchboard.instrumentation.PublishObservation;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.ObservationRegistry;
import java.util.Objects;

/**
 * Micrometer {@link Observation}s of publishes and handler calls, so that an application with micrometer-tracing
 * (Spring Boot's, say) gets a producer span per publish and a consumer span per handler call, in one trace, with no
 * code of its own:
 *
 * <pre>{@code
 * Messaging messaging = Messaging.builder()
 *     .instrumentation(new SwitchboardObservations(observationRegistry))
 *     .build();
 * }</pre>
 *
 * <ul>
 *   <li>A publish is an observation with an {@link EventSenderContext}, started on the publishing thread (so its
 *       parent is the observation current there) and stopped when the broker confirms the event or the publish
 *       fails (with the failure as its error). A propagating handler writes the trace context into the event as
 *       the CloudEvents extensions {@code traceparent} and {@code tracestate}.</li>
 *   <li>A handler call is an observation with an {@link EventReceiverContext}, whose carrier is the envelope
 *       received, so a propagating handler continues the publisher's trace. It is current on the handler's thread
 *       while the handler runs (a publish from the handler is its child, logs carry its trace id), records what the
 *       handler threw as its error, and stops when the delivery is settled. A scheduled retry, a dead letter and a
 *       delivery given back are events of it ({@value #RETRY_SCHEDULED}, {@value #DEAD_LETTERED},
 *       {@value #RETURNED}); each retried attempt is an observation of its own. Deliveries settled without a handler
 *       call (duplicates, skipped types, malformed messages) are not observed.</li>
 * </ul>
 *
 * <p>Names and key values come from {@link DefaultEventSenderObservationConvention} and
 * {@link DefaultEventReceiverObservationConvention}; a convention passed to the {@link Builder}, or a global one
 * registered with the registry, takes their place. With a registry that has no handler nothing is created.
 * Thread-safe.
 *
 * @since 0.2
 */
public final class SwitchboardObservations implements Instrumentation {
    /** The name of the event of a failed attempt that will be retried. */
    public static final String RETRY_SCHEDULED = "switchboard.retry.scheduled";
    /** The name of the event of a delivery written to the dead letters. */
    public static final String DEAD_LETTERED = "switchboard.dead.lettered";
    /** The name of the event of a delivery given back to the broker for redelivery. */
    public static final String RETURNED = "switchboard.returned";

    private static final Observation.Event RETURNED_EVENT = Observation.Event.of(RETURNED, "given back to the broker");

    private final ObservationRegistry registry;
    private final EventSenderObservationConvention senderConvention;
    private final EventReceiverObservationConvention receiverConvention;
    private final EventTypeTags eventTypes;

    /** Observations with the default conventions, in {@code registry}. */
    public SwitchboardObservations(ObservationRegistry registry) {
        this(builder(registry));
    }

    private SwitchboardObservations(Builder builder) {
        this.registry = builder.registry;
        this.senderConvention = builder.senderConvention;
        this.receiverConvention = builder.receiverConvention;
        this.eventTypes = new EventTypeTags(builder.maxEventTypes);
    }

    /** A builder for observations in {@code registry}, to change the defaults. */
    public static Builder builder(ObservationRegistry registry) {
        return new Builder(registry);
    }

    @Override
    public PublishObservation publishStarted(PublishContext publish) {
        if (registry.isNoop()) {
            return PublishObservation.NONE;
        }
        EventSenderContext context = new EventSenderContext(publish, eventTypes.tag(publish.envelope().type()));
        Observation observation = started(senderConvention, DefaultEventSenderObservationConvention.INSTANCE, context);
        return observation == null ? PublishObservation.NONE : new Sending(observation, context);
    }

    @Override
    public ProcessObservation processStarted(DeliveryContext delivery) {
        if (registry.isNoop()) {
            return ProcessObservation.NONE;
        }
        EventReceiverContext context = new EventReceiverContext(delivery, eventTypes.tag(delivery.envelope().type()));
        Observation observation = started(receiverConvention, DefaultEventReceiverObservationConvention.INSTANCE,
                context);
        return observation == null ? ProcessObservation.NONE : new Processing(observation, context);
    }

    /** The observation of {@code context}, started; null when the registry's predicates turned it down. */
    private <T extends Observation.Context> Observation started(ObservationConvention<T> custom,
                                                                ObservationConvention<T> defaults, T context) {
        Observation observation = Observation.createNotStarted(custom, defaults, () -> context, registry);
        return observation.isNoop() ? null : observation.start();
    }

    /** The observation of one publish: stopped once, on whichever thread completes the publish. */
    private static final class Sending implements PublishObservation {
        private final Observation observation;
        private final EventSenderContext context;

        Sending(Observation observation, EventSenderContext context) {
            this.observation = observation;
            this.context = context;
        }

        @Override
        public void published(PublishResult result) {
            context.result(result);
            observation.stop();
        }

        @Override
        public void failed(MessagingException failure) {
            observation.error(failure);
            observation.stop();
        }
    }

    /** The observation of one handler call: current while the handler runs, stopped when its delivery is settled. */
    private static final class Processing implements ProcessObservation {
        private final Observation observation;
        private final EventReceiverContext context;

        Processing(Observation observation, EventReceiverContext context) {
            this.observation = observation;
            this.context = context;
        }

        @Override
        public Scope makeCurrent() {
            Observation.Scope scope = observation.openScope();
            return scope::close;
        }

        @Override
        public void handlerEnded(Throwable failure) {
            if (failure != null) {
                observation.error(failure);
            }
        }

        @Override
        public void settled(Outcome outcome) {
            context.outcome(outcome);
            switch (outcome.kind()) {
                case RETRY_SCHEDULED -> observation.event(Observation.Event.of(RETRY_SCHEDULED,
                        "retry scheduled in " + outcome.retryDelay().toMillis() + " ms"));
                case DEAD_LETTERED -> observation.event(Observation.Event.of(DEAD_LETTERED,
                        "dead-lettered: " + outcome.reason().orElse("unknown")));
                case RETURNED -> observation.event(RETURNED_EVENT);
                default -> { }
            }
            if (context.getError() == null) {
                // no handler ran (its payload could not be decoded): the failure is the decoder's
                outcome.failure().ifPresent(observation::error);
            }
            observation.stop();
        }
    }

    /**
     * Changes the defaults of {@link SwitchboardObservations}. Not thread-safe.
     *
     * @since 0.2
     */
    public static final class Builder {
        private final ObservationRegistry registry;
        private EventSenderObservationConvention senderConvention;
        private EventReceiverObservationConvention receiverConvention;
        private int maxEventTypes = SwitchboardMetrics.DEFAULT_MAX_EVENT_TYPES;

        private Builder(ObservationRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** Names and key values of publishes, instead of {@link DefaultEventSenderObservationConvention}. */
        public Builder senderConvention(EventSenderObservationConvention convention) {
            this.senderConvention = Objects.requireNonNull(convention, "convention");
            return this;
        }

        /** Names and key values of handler calls, instead of {@link DefaultEventReceiverObservationConvention}. */
        public Builder receiverConvention(EventReceiverObservationConvention convention) {
            this.receiverConvention = Objects.requireNonNull(convention, "convention");
            return this;
        }

        /**
         * How many distinct event types keep their name as the {@code cloudevents.event_type} key value (default
         * {@value SwitchboardMetrics#DEFAULT_MAX_EVENT_TYPES}); later types are {@code _other}.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder maxEventTypes(int maxEventTypes) {
            this.maxEventTypes = EventTypeTags.checkLimit(maxEventTypes);
            return this;
        }

        public SwitchboardObservations build() {
            return new SwitchboardObservations(this);
        }
    }
}
