package dev.switchboard.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import dev.switchboard.inmemory.InMemoryBroker;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The setup snippet of {@code sdk-opentelemetry/README-section.md}, compiled and run. */
class ReadmeSnippetTest {
    @Test
    void theReadmeSetupTracesAPublishAndItsHandling() {
        InMemorySpanExporter spanExporter = InMemorySpanExporter.create(); // OtlpGrpcSpanExporter in the README
        InMemoryBroker broker = InMemoryBroker.create();

        // --- README snippet: keep in step with README-section.md ---
        OpenTelemetrySdk openTelemetry = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(BatchSpanProcessor.builder(spanExporter).build())
                        .build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();

        Messaging messaging = Messaging.builder()
                .properties(broker.properties()) // not in the README: switchboard.* configuration as usual
                .instrumentation(SwitchboardTracing.create(openTelemetry))
                .build();
        // --- end of snippet ---

        try (messaging; openTelemetry) {
            messaging.subscribe(Subscription.to("orders").group("billing").on("t", String.class, (text, ctx) -> { }));
            messaging.publisher().publishAndWait("orders", EventEnvelope.builder().type("t").data("x").build());

            await().atMost(TestTracing.TIMEOUT).until(() -> {
                openTelemetry.getSdkTracerProvider().forceFlush().join(1, TimeUnit.SECONDS);
                return spanExporter.getFinishedSpanItems().size() == 2;
            });
            List<SpanData> spans = spanExporter.getFinishedSpanItems();
            assertThat(spans).extracting(SpanData::getKind).containsExactlyInAnyOrder(SpanKind.PRODUCER, SpanKind.CONSUMER);
            assertThat(spans).extracting(SpanData::getTraceId).containsOnly(spans.get(0).getTraceId());
        } finally {
            broker.close();
        }
    }

}
