package dev.switchboard.micrometer;

import dev.switchboard.MessagingException;

/**
 * The tag keys and fixed tag values shared by the meters and the observations: OpenTelemetry attribute names where
 * the messaging semantic conventions have one, ours where they do not.
 */
final class Keys {
    static final String SYSTEM = "messaging.system";
    static final String DESTINATION = "messaging.destination.name";
    static final String OPERATION = "messaging.operation.name";
    static final String GROUP = "messaging.consumer.group.name";
    static final String EVENT_TYPE = "cloudevents.event_type";
    static final String EVENT_ID = "cloudevents.event_id";
    static final String MESSAGE_ID = "messaging.message.id";
    static final String ERROR_TYPE = "error.type";
    static final String OUTCOME = "outcome";
    static final String REASON = "reason";
    static final String ATTEMPT = "switchboard.attempt";

    static final String SEND = "send";
    static final String PROCESS = "process";
    /** The value of {@code error.type} (and of {@code outcome} before there is one) when there is none. */
    static final String NONE = "none";

    private Keys() {
    }

    /** {@code error.type} of a publish: the {@link dev.switchboard.ErrorCode} name, else the exception's class name. */
    static String publishErrorType(Throwable failure) {
        if (failure == null) {
            return NONE;
        }
        return failure instanceof MessagingException m ? m.code().name() : className(failure.getClass());
    }

    /** {@code error.type} of a handler call: the simple name of what it threw. */
    static String processErrorType(Throwable failure) {
        return failure == null ? NONE : className(failure.getClass());
    }

    /** The simple name, or the full name for a class that has none (anonymous, hidden). */
    static String className(Class<?> type) {
        String simple = type.getSimpleName();
        return simple.isEmpty() ? type.getName() : simple;
    }
}
