package dev.switchboard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.switchboard.EventEnvelope;
import dev.switchboard.Messaging;
import dev.switchboard.Subscription;
import dev.switchboard.inmemory.InMemoryBroker;
import dev.switchboard.opentelemetry.SwitchboardTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The trace goes through the outbox: an event written inside a request's span and published later by the relay's
 * thread has its send span as a child of that request span, and its handling in the same trace (real OpenTelemetry
 * SDK, in-memory exporter; H2 and the in-memory broker).
 */
@SuppressWarnings("try") // try (Scope ignored = span.makeCurrent()) { ... }
class OutboxTracingTest {
    @Test
    void theRelaysPublishContinuesTheTraceOfTheTransactionThatWroteTheEvent() throws Exception {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        try (OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
             InMemoryBroker broker = InMemoryBroker.create();
             Messaging messaging = Messaging.builder().properties(broker.properties())
                     .instrumentation(SwitchboardTracing.create(sdk)).build()) {
            DataSource dataSource = TestDatabase.H2.fresh("outbox_tracing");
            messaging.subscribe(Subscription.to("orders").group("billing").onEnvelope((envelope, ctx) -> { }));
            Span request = sdk.getTracer("test").spanBuilder("POST /orders").startSpan();
            try (Scope ignored = request.makeCurrent(); Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                Outbox.of(messaging).publish(connection, "orders",
                        EventEnvelope.builder().type("com.shop.order.placed").partitionKey("o-1").data("{}").build());
                connection.commit();
            } finally {
                request.end();
            }

            try (OutboxRelay relay = OutboxRelay.builder(messaging, dataSource).start()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> exporter.getFinishedSpanItems().size() >= 3);
            }
            List<SpanData> spans = exporter.getFinishedSpanItems();
            SpanData send = spans.stream().filter(s -> s.getKind() == SpanKind.PRODUCER).findFirst().orElseThrow();
            SpanData process = spans.stream().filter(s -> s.getKind() == SpanKind.CONSUMER).findFirst().orElseThrow();
            assertThat(send.getParentSpanId()).isEqualTo(request.getSpanContext().getSpanId());
            assertThat(process.getParentSpanId()).isEqualTo(send.getSpanId());
            assertThat(List.of(send, process)).extracting(SpanData::getTraceId)
                    .containsOnly(request.getSpanContext().getTraceId());
        }
    }
}
