package dev.switchboard.micrometer;

import io.micrometer.common.KeyValues;

/**
 * The default names and key values of the observation of a handler call, after the OpenTelemetry messaging
 * semantic conventions.
 *
 * <ul>
 *   <li>name {@value #NAME}; contextual name (the span's) {@code process <topic>}</li>
 *   <li>low cardinality: {@code messaging.system}, {@code messaging.destination.name},
 *       {@code messaging.operation.name} ({@code process}), {@code messaging.consumer.group.name},
 *       {@code cloudevents.event_type} (bounded, see {@link EventReceiverContext#eventTypeTag()}),
 *       {@code error.type} ({@code none}, or the simple class name of what the handler threw) and {@code outcome}
 *       ({@link dev.switchboard.instrumentation.Outcome.Kind#tag()}; {@code none} until the delivery is
 *       settled)</li>
 *   <li>high cardinality: {@code cloudevents.event_id}, {@code messaging.message.id} (the broker's id of the
 *       message) and {@code switchboard.attempt}</li>
 * </ul>
 *
 * <p>Stateless and thread-safe; extend it to change a part.
 *
 * @since 0.2
 */
public class DefaultEventReceiverObservationConvention implements EventReceiverObservationConvention {
    /** The shared instance. */
    public static final DefaultEventReceiverObservationConvention INSTANCE = new DefaultEventReceiverObservationConvention();
    /** The observation's name, also the name of the timer that Micrometer's meter handler makes of it. */
    public static final String NAME = "switchboard.process";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(EventReceiverContext context) {
        return Keys.PROCESS + " " + context.topic();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(EventReceiverContext context) {
        String outcome = context.outcome().map(o -> o.kind().tag()).orElse(Keys.NONE);
        return KeyValues.of(Keys.SYSTEM, context.system(), Keys.DESTINATION, context.topic(), Keys.OPERATION,
                Keys.PROCESS, Keys.GROUP, context.group(), Keys.EVENT_TYPE, context.eventTypeTag(), Keys.ERROR_TYPE,
                Keys.processErrorType(context.getError()), Keys.OUTCOME, outcome);
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(EventReceiverContext context) {
        return KeyValues.of(Keys.EVENT_ID, context.envelope().id(), Keys.MESSAGE_ID, context.transportId(),
                Keys.ATTEMPT, Integer.toString(context.attempt()));
    }
}
