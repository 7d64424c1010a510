package dev.switchboard.opentelemetry;

import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import dev.switchboard.EventEnvelope;
import dev.switchboard.MessagingException;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;

/**
 * The attribute names Switchboard's spans carry. The {@code messaging.*}, {@code cloudevents.*} and
 * {@code error.type} names are those of the OpenTelemetry semantic conventions (messaging spans, CloudEvents,
 * error); they are defined here rather than taken from {@code opentelemetry-semconv-incubating}, an alpha artifact
 * that would be one more dependency for a dozen strings. The {@code switchboard.*} names are ours, for what the
 * conventions have no generic name for.
 */
final class TraceAttributes {
    static final AttributeKey<String> MESSAGING_SYSTEM = stringKey("messaging.system");
    static final AttributeKey<String> MESSAGING_DESTINATION_NAME = stringKey("messaging.destination.name");
    static final AttributeKey<String> MESSAGING_OPERATION_NAME = stringKey("messaging.operation.name");
    static final AttributeKey<String> MESSAGING_OPERATION_TYPE = stringKey("messaging.operation.type");
    static final AttributeKey<String> MESSAGING_CONSUMER_GROUP_NAME = stringKey("messaging.consumer.group.name");
    static final AttributeKey<String> MESSAGING_MESSAGE_ID = stringKey("messaging.message.id");
    static final AttributeKey<String> MESSAGING_MESSAGE_CONVERSATION_ID = stringKey("messaging.message.conversation_id");
    static final AttributeKey<Long> MESSAGING_MESSAGE_BODY_SIZE = longKey("messaging.message.body.size");

    static final AttributeKey<String> CLOUDEVENTS_EVENT_SOURCE = stringKey("cloudevents.event_source");
    static final AttributeKey<String> CLOUDEVENTS_EVENT_TYPE = stringKey("cloudevents.event_type");
    static final AttributeKey<String> CLOUDEVENTS_EVENT_SUBJECT = stringKey("cloudevents.event_subject");

    static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");

    /** The delivery attempt of a consumer span, 1 for the first (the conventions name one for Pub/Sub only). */
    static final AttributeKey<Long> DELIVERY_ATTEMPT = longKey("switchboard.delivery.attempt");
    /** How the delivery ended: {@code acked}, {@code retry_scheduled}, {@code dead_lettered}, {@code returned}. */
    static final AttributeKey<String> DELIVERY_OUTCOME = stringKey("switchboard.delivery.outcome");
    /** On a {@code retry} event: the delay before the next attempt, in milliseconds. */
    static final AttributeKey<Long> RETRY_DELAY_MS = longKey("switchboard.retry.delay_ms");
    /** On a {@code dead_letter} event: why, such as {@code retries-exhausted}. */
    static final AttributeKey<String> DEAD_LETTER_REASON = stringKey("switchboard.dead_letter.reason");

    static final String OPERATION_SEND = "send";
    static final String OPERATION_PROCESS = "process";

    static final String EVENT_RETRY = "retry";
    static final String EVENT_DEAD_LETTER = "dead_letter";

    /** Switchboard's provider name of SNS/SQS; the conventions name the two services apart. */
    private static final String SNS_SQS = "sns-sqs";

    private TraceAttributes() {
    }

    /** {@code messaging.system} of a publish: the provider's name, {@code aws.sns} for SNS/SQS. */
    static String producerSystem(String provider) {
        return SNS_SQS.equals(provider) ? "aws.sns" : provider;
    }

    /** {@code messaging.system} of a delivery: the provider's name, {@code aws_sqs} for SNS/SQS. */
    static String consumerSystem(String provider) {
        return SNS_SQS.equals(provider) ? "aws_sqs" : provider;
    }

    /**
     * The per-event attributes of a span that records (a sampled-out span never pays for them), set in one call:
     * one lock on the span. The event id is {@code messaging.message.id} only ({@code cloudevents.event_id} would
     * repeat it on every span). {@code attempt} is a consumer span's delivery attempt, 0 on a producer span (none
     * set).
     */
    static void addEventAttributes(Span span, EventEnvelope envelope, int attempt) {
        if (!span.isRecording()) {
            return;
        }
        AttributesBuilder attributes = Attributes.builder()
                .put(MESSAGING_MESSAGE_ID, envelope.id())
                .put(MESSAGING_MESSAGE_BODY_SIZE, (long) envelope.dataLength())
                .put(CLOUDEVENTS_EVENT_TYPE, envelope.type());
        if (attempt > 0) {
            attributes.put(DELIVERY_ATTEMPT, (long) attempt);
        }
        if (envelope.source() != null) {
            attributes.put(CLOUDEVENTS_EVENT_SOURCE, envelope.source());
        }
        // null checks rather than ifPresent: a capturing lambda per call, on every span
        String subject = envelope.subject().orElse(null);
        if (subject != null) {
            attributes.put(CLOUDEVENTS_EVENT_SUBJECT, subject);
        }
        String correlationId = envelope.correlationId().orElse(null);
        if (correlationId != null) {
            attributes.put(MESSAGING_MESSAGE_CONVERSATION_ID, correlationId);
        }
        span.setAllAttributes(attributes.build());
    }

    /**
     * {@code error.type} of a failure: a {@link MessagingException}'s code (such as {@code UNAVAILABLE}), else the
     * exception's class name — low cardinality either way, as the conventions ask.
     */
    static String errorType(Throwable failure) {
        return failure instanceof MessagingException e ? e.code().name() : failure.getClass().getName();
    }
}
