package dev.switchboard.opentelemetry;

import dev.switchboard.EventEnvelope;
import dev.switchboard.instrumentation.PropagationFields;
import dev.switchboard.instrumentation.PublishContext;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * The trace context's carrier: the event's CloudEvents extensions. A propagator's field becomes an extension of
 * the same name, which W3C's {@code traceparent}, {@code tracestate} and {@code baggage} already are; any other
 * field is lower-cased with every character but ASCII letters and digits dropped ({@code X-B3-TraceId} becomes
 * {@code xb3traceid}), as CloudEvents names must be, the same way on both sides. A field that makes no valid
 * extension name (empty, or a CloudEvents attribute such as {@code id}) is not carried.
 *
 * <p>One instance per publish, on the publishing thread: it remembers which W3C fields it wrote.
 */
final class ExtensionCarrier {
    /** Reads fields from a received envelope's extensions. Stateless. */
    static final TextMapGetter<EventEnvelope> GETTER = (envelope, key) -> {
        if (envelope == null || key == null) {
            return null;
        }
        String name = PropagationFields.extensionName(key);
        return name == null ? null : envelope.extensions().get(name);
    };

    /** Writes fields as extensions of the event being published. */
    static final TextMapSetter<ExtensionCarrier> SETTER = (carrier, key, value) -> {
        if (carrier != null && key != null && value != null) {
            carrier.set(key, value);
        }
    };

    private final PublishContext publish;
    private boolean wroteTraceParent;
    private boolean wroteTraceState;

    ExtensionCarrier(PublishContext publish) {
        this.publish = publish;
    }

    private void set(String key, String value) {
        String name = PropagationFields.extensionName(key);
        if (name == null) {
            return;
        }
        try {
            publish.setExtension(name, value);
        } catch (IllegalArgumentException reservedName) {
            return; // a CloudEvents context attribute's name: not ours to overwrite
        }
        if (name.equals(EventEnvelope.TRACEPARENT)) {
            wroteTraceParent = true;
        } else if (name.equals(EventEnvelope.TRACESTATE)) {
            wroteTraceState = true;
        }
    }

    /**
     * After injection: a new {@code traceparent} written over an event that carried a {@code tracestate} of its
     * own, without a new {@code tracestate} (the new trace has none), would leave the old trace's state beside
     * the new parent. An extension cannot be removed here, so it is emptied: an empty {@code tracestate} is none.
     */
    void clearStaleTraceState() {
        if (wroteTraceParent && !wroteTraceState && publish.envelope().traceState().isPresent()) {
            publish.setExtension(EventEnvelope.TRACESTATE, "");
        }
    }
}
