package dev.switchboard.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of the observation of a handler call. Implement it (or extend
 * {@link DefaultEventReceiverObservationConvention}) and pass it to
 * {@link SwitchboardObservations.Builder#receiverConvention}, or register it as a global convention with the
 * {@code ObservationRegistry}, to change them.
 *
 * @since 0.2
 */
public interface EventReceiverObservationConvention extends ObservationConvention<EventReceiverContext> {
    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof EventReceiverContext;
    }
}
