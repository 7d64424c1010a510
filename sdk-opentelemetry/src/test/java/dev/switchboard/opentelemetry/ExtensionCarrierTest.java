package dev.switchboard.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.EventEnvelope;
import org.junit.jupiter.api.Test;

/** A propagator's fields travel as CloudEvents extensions (named by {@code PropagationFields}), the same way on both sides. */
class ExtensionCarrierTest {
    private static final EventEnvelope EVENT = EventEnvelope.builder().id("evt-1").type("t").build();

    @Test
    void aFieldIsReadBackUnderTheNameItWasWrittenUnder() {
        Stubs.Publish publish = new Stubs.Publish(EVENT);
        ExtensionCarrier.SETTER.set(new ExtensionCarrier(publish), "X-B3-TraceId", "abc");

        EventEnvelope sent = publish.sent();
        assertThat(sent.extensions()).containsEntry("xb3traceid", "abc");
        assertThat(ExtensionCarrier.GETTER.get(sent, "X-B3-TraceId")).isEqualTo("abc");
    }

    @Test
    void aFieldNamedLikeACloudEventsAttributeIsNotCarried() {
        Stubs.Publish publish = new Stubs.Publish(EVENT);
        ExtensionCarrier.SETTER.set(new ExtensionCarrier(publish), "id", "not-the-event-id");

        assertThat(publish.sent().id()).isEqualTo("evt-1");
        assertThat(publish.sent().extensions()).isEmpty();
    }

    @Test
    void aNewTraceparentWithoutATraceStateEmptiesTheOldTraceState() {
        Stubs.Publish publish = new Stubs.Publish(EVENT.toBuilder().traceState("vendor=old").build());
        ExtensionCarrier carrier = new ExtensionCarrier(publish);
        ExtensionCarrier.SETTER.set(carrier, "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        carrier.clearStaleTraceState();

        assertThat(publish.sent().traceState()).contains("");
    }

    @Test
    void aTraceStateWrittenWithTheTraceparentIsKept() {
        Stubs.Publish publish = new Stubs.Publish(EVENT.toBuilder().traceState("vendor=old").build());
        ExtensionCarrier carrier = new ExtensionCarrier(publish);
        ExtensionCarrier.SETTER.set(carrier, "traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
        ExtensionCarrier.SETTER.set(carrier, "tracestate", "vendor=new");
        carrier.clearStaleTraceState();

        assertThat(publish.sent().traceState()).contains("vendor=new");
    }
}
