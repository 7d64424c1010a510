package dev.switchboard.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of the observation of a publish. Implement it (or extend
 * {@link DefaultEventSenderObservationConvention}) and pass it to
 * {@link SwitchboardObservations.Builder#senderConvention}, or register it as a global convention with the
 * {@code ObservationRegistry}, to change them.
 *
 * @since 0.2
 */
public interface EventSenderObservationConvention extends ObservationConvention<EventSenderContext> {
    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof EventSenderContext;
    }
}
