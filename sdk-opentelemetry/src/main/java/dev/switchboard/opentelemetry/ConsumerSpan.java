package dev.switchboard.opentelemetry;

import dev.switchboard.instrumentation.Outcome;
import dev.switchboard.instrumentation.ProcessObservation;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;

/**
 * One consumer span: one handler call of one delivery. {@link #makeCurrent()} and {@link #handlerEnded} run on the
 * handler's thread, {@link #settled} once, on whichever thread settles the delivery; the span is ended there.
 */
final class ConsumerSpan implements ProcessObservation {
    private final Span span;
    /** The extracted context (baggage included) with this span in it: what the handler runs in. */
    private final Context context;
    private final long attempt;
    /** Whether the failure is on the span already (from the handler); settled may run on another thread. */
    private volatile boolean failureRecorded;

    ConsumerSpan(Span span, Context context, int attempt) {
        this.span = span;
        this.context = context;
        this.attempt = attempt;
    }

    @Override
    public Scope makeCurrent() {
        io.opentelemetry.context.Scope scope = context.makeCurrent();
        return scope::close;
    }

    @Override
    public void handlerEnded(Throwable failure) {
        if (failure != null && span.isRecording()) {
            recordFailure(failure);
        }
    }

    @Override
    public void settled(Outcome outcome) {
        if (span.isRecording()) {
            span.setAttribute(TraceAttributes.DELIVERY_OUTCOME, outcome.kind().tag());
            switch (outcome.kind()) {
                case RETRY_SCHEDULED -> span.addEvent(TraceAttributes.EVENT_RETRY, Attributes.of(
                        TraceAttributes.DELIVERY_ATTEMPT, attempt,
                        TraceAttributes.RETRY_DELAY_MS, outcome.retryDelay().toMillis()));
                case DEAD_LETTERED -> span.addEvent(TraceAttributes.EVENT_DEAD_LETTER, Attributes.of(
                        TraceAttributes.DEAD_LETTER_REASON, outcome.reason().orElse(""),
                        TraceAttributes.DELIVERY_ATTEMPT, attempt));
                default -> {
                    // acked or given back: the outcome attribute says it
                }
            }
            if (!failureRecorded && outcome.failure().isPresent()) {
                // a payload that could not be decoded, a malformed message: no handler call reported it
                recordFailure(outcome.failure().get());
            }
        }
        span.end();
    }

    private void recordFailure(Throwable failure) {
        failureRecorded = true;
        span.setAttribute(TraceAttributes.ERROR_TYPE, TraceAttributes.errorType(failure));
        span.setStatus(StatusCode.ERROR);
        span.recordException(failure);
    }
}
