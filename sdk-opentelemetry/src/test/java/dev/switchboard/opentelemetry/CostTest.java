package dev.switchboard.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import dev.switchboard.inmemory.InMemoryBroker;
import dev.switchboard.instrumentation.Outcome;
import dev.switchboard.instrumentation.ProcessObservation;
import dev.switchboard.instrumentation.PublishObservation;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Without a tracer nothing is done; without a tracer but with a propagator, the context still travels. */
@SuppressWarnings("try") // try (Scope ignored = span.makeCurrent()) { ... }
class CostTest {
    private static final EventEnvelope EVENT = EventEnvelope.builder().id("evt-1").type("t")
            .traceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").build();

    @Test
    void withTheNoopOpenTelemetryEveryCallbackReturnsAtOnceAndSetsNothing() {
        SwitchboardTracing tracing = SwitchboardTracing.create(OpenTelemetry.noop());
        Stubs.Publish publish = new Stubs.Publish(EVENT);

        assertThat(tracing.publishStarted(publish)).isSameAs(PublishObservation.NONE);
        assertThat(publish.extensionsSet).isZero();
        assertThat(tracing.processStarted(Stubs.delivery(EVENT))).isSameAs(ProcessObservation.NONE);
        tracing.settledWithoutHandler(Stubs.delivery(EVENT), Outcome.deadLettered("malformed", null));
    }

    @Test
    void withAPropagatorButNoTracerTheContextTravelsFromPublisherToHandlerWithoutSpans() {
        OpenTelemetry propagating = OpenTelemetry.propagating(
                ContextPropagators.create(W3CTraceContextPropagator.getInstance()));
        AtomicReference<SpanContext> currentInHandler = new AtomicReference<>();
        InMemoryBroker broker = InMemoryBroker.create();
        try (TestTracing app = new TestTracing();
             Messaging messaging = Messaging.builder().properties(broker.properties())
                     .instrumentation(SwitchboardTracing.create(propagating)).build()) {
            messaging.subscribe(Subscription.to("orders").group("billing").on("t", String.class,
                    (text, ctx) -> currentInHandler.set(Span.current().getSpanContext())));

            Span request = app.appTracer().spanBuilder("request").startSpan();
            try (Scope ignored = request.makeCurrent()) {
                messaging.publisher().publishAndWait("orders", EventEnvelope.builder().type("t").data("x").build());
            } finally {
                request.end();
            }

            broker.consumed().inGroup("billing").within(TestTracing.TIMEOUT).awaitCount(1);
            assertThat(currentInHandler.get()).satisfies(context -> {
                assertThat(context.getTraceId()).isEqualTo(request.getSpanContext().getTraceId());
                assertThat(context.getSpanId()).as("no span of ours in between").isEqualTo(request.getSpanContext().getSpanId());
                assertThat(context.isRemote()).isTrue();
            });
            assertThat(app.exporter.getFinishedSpanItems()).extracting(s -> s.getName()).containsExactly("request");
        } finally {
            broker.close();
        }
    }

    @Test
    void aSamplerSeesTheConventionsSamplingAttributesAndASpanItDropsGetsNoPerEventOnes() {
        List<Attributes> seenBySampler = new CopyOnWriteArrayList<>();
        Sampler dropEverything = new Sampler() {
            @Override
            public SamplingResult shouldSample(Context parent, String traceId, String name, SpanKind kind,
                                               Attributes attributes, List<LinkData> links) {
                seenBySampler.add(attributes);
                return SamplingResult.drop();
            }

            @Override
            public String getDescription() {
                return "drop everything";
            }
        };
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().setSampler(dropEverything)
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build()) {
            SwitchboardTracing tracing = SwitchboardTracing.create(sdk);
            Stubs.Publish publish = new Stubs.Publish(EVENT);

            tracing.publishStarted(publish).published(null);
            tracing.processStarted(Stubs.delivery(EVENT)).settled(Outcome.acked());

            assertThat(seenBySampler).hasSize(2).allSatisfy(attributes -> {
                assertThat(attributes.get(TraceAttributes.MESSAGING_SYSTEM)).isEqualTo("in-memory");
                assertThat(attributes.get(TraceAttributes.MESSAGING_DESTINATION_NAME)).isEqualTo("orders");
                assertThat(attributes.get(TraceAttributes.MESSAGING_OPERATION_TYPE)).isIn("send", "process");
                assertThat(attributes.get(TraceAttributes.MESSAGING_MESSAGE_ID)).isNull();
                assertThat(attributes.get(TraceAttributes.CLOUDEVENTS_EVENT_TYPE)).isNull();
            });
            assertThat(exporter.getFinishedSpanItems()).isEmpty();
            assertThat(publish.extensionsSet).as("the unsampled context still travels").isPositive();
        }
    }
}
