package dev.switchboard.opentelemetry;

import dev.switchboard.MessagingException;
import dev.switchboard.PublishResult;
import dev.switchboard.instrumentation.PublishObservation;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/** The end of one producer span: on the thread that completes the publish, often the broker client's. */
final class ProducerSpan implements PublishObservation {
    private final Span span;

    ProducerSpan(Span span) {
        this.span = span;
    }

    @Override
    public void published(PublishResult result) {
        span.end();
    }

    @Override
    public void failed(MessagingException failure) {
        if (span.isRecording()) {
            span.setAttribute(TraceAttributes.ERROR_TYPE, TraceAttributes.errorType(failure));
            span.setStatus(StatusCode.ERROR);
            span.recordException(failure);
        }
        span.end();
    }
}
