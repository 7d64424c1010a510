package dev.switchboard.micrometer;

import io.micrometer.common.KeyValues;

/**
 * The default names and key values of the observation of a publish, after the OpenTelemetry messaging semantic
 * conventions.
 *
 * <ul>
 *   <li>name {@value #NAME}; contextual name (the span's) {@code send <topic>}</li>
 *   <li>low cardinality: {@code messaging.system}, {@code messaging.destination.name},
 *       {@code messaging.operation.name} ({@code send}), {@code cloudevents.event_type} (bounded, see
 *       {@link EventSenderContext#eventTypeTag()}), {@code error.type} ({@code none}, or the
 *       {@link dev.switchboard.ErrorCode} name of the failure)</li>
 *   <li>high cardinality: {@code cloudevents.event_id}</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; extend it to change a part.
 *
 * @since 0.2
 */
public class DefaultEventSenderObservationConvention implements EventSenderObservationConvention {
    /** The shared instance. */
    public static final DefaultEventSenderObservationConvention INSTANCE = new DefaultEventSenderObservationConvention();
    /** The observation's name, also the name of the timer that Micrometer's meter handler makes of it. */
    public static final String NAME = "switchboard.publish";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(EventSenderContext context) {
        return Keys.SEND + " " + context.topic();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(EventSenderContext context) {
        return KeyValues.of(Keys.SYSTEM, context.system(), Keys.DESTINATION, context.topic(), Keys.OPERATION, Keys.SEND,
                Keys.EVENT_TYPE, context.eventTypeTag(), Keys.ERROR_TYPE, Keys.publishErrorType(context.getError()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(EventSenderContext context) {
        return KeyValues.of(Keys.EVENT_ID, context.eventId());
    }
}
