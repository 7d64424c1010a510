package dev.switchboard.internal.receive;

import dev.switchboard.EventEnvelope;
import org.slf4j.MDC;

/**
 * The SLF4J MDC keys that hold the event while its handler runs, so that every log line the handler writes names
 * it. Set on the handler's thread before the call and removed after it.
 */
final class EventMdc {
    static final String EVENT_ID = "eventId";
    static final String EVENT_TYPE = "eventType";
    static final String TOPIC = "eventTopic";
    static final String GROUP = "eventGroup";
    static final String ATTEMPT = "eventAttempt";
    static final String CORRELATION_ID = "correlationId";

    private static final String[] ATTEMPTS = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

    private EventMdc() {
    }

    static void put(InFlightDelivery d) {
        EventEnvelope envelope = d.envelope();
        MDC.put(EVENT_ID, envelope.id());
        MDC.put(EVENT_TYPE, envelope.type());
        MDC.put(TOPIC, d.topic());
        MDC.put(GROUP, d.group());
        MDC.put(ATTEMPT, attempt(d.attempt()));
        String correlationId = envelope.correlationId().orElse(null);
        if (correlationId != null) {
            MDC.put(CORRELATION_ID, correlationId);
        }
    }

    /** The attempt as text; the first few are constants, as nearly every delivery is one of them. */
    private static String attempt(int attempt) {
        return attempt > 0 && attempt < ATTEMPTS.length ? ATTEMPTS[attempt] : Integer.toString(attempt);
    }

    static void clear() {
        MDC.remove(EVENT_ID);
        MDC.remove(EVENT_TYPE);
        MDC.remove(TOPIC);
        MDC.remove(GROUP);
        MDC.remove(ATTEMPT);
        MDC.remove(CORRELATION_ID);
    }
}
